import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { RateLimiter, retryAfterSeconds } from '../../../src/shared/rateLimit';
import { ConfigError } from '../../../src/shared/errors';
import { systemClock } from '../../../src/shared/time';

const PER_MINUTE = { tokensPerInterval: 20, intervalMs: 60_000, burst: 10 };

describe('RateLimiter (token buckets per key)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers({ now: Date.parse('2026-03-01T09:00:00Z') });
  });
  afterEach(() => timers.restore());

  /** Takes `count` tokens from `key` and returns how many were allowed. */
  function takeMany(limiter: RateLimiter, key: string, count: number): number {
    let allowed = 0;
    for (let index = 0; index < count; index += 1) if (limiter.take(key).allowed) allowed += 1;
    return allowed;
  }

  it('lets a burst through at once, then refuses with the wait until the next token', () => {
    const limiter = new RateLimiter(PER_MINUTE, { clock: systemClock });
    assert.equal(takeMany(limiter, 'key-a', 10), 10);
    // 20 a minute: one token every 3 s.
    assert.deepEqual(limiter.take('key-a'), { allowed: false, retryAfterMs: 3000 });
    timers.tick(1000);
    assert.deepEqual(limiter.take('key-a'), { allowed: false, retryAfterMs: 2000 });
  });

  it('refills at the rate: after the wait it was told, a request goes through, and only one', () => {
    const limiter = new RateLimiter(PER_MINUTE, { clock: systemClock });
    takeMany(limiter, 'key-a', 10);
    const refused = limiter.take('key-a');
    assert.equal(refused.allowed, false);
    timers.tick(refused.allowed ? 0 : refused.retryAfterMs);
    assert.equal(limiter.take('key-a').allowed, true);
    assert.equal(limiter.take('key-a').allowed, false);
    // A quiet minute refills 20 tokens, but a bucket holds no more than the burst.
    timers.tick(60_000);
    assert.equal(takeMany(limiter, 'key-a', 15), 10);
  });

  it('keeps whole-number accounting for rates that do not divide the interval (7 a minute)', () => {
    const limiter = new RateLimiter(
      { tokensPerInterval: 7, intervalMs: 60_000, burst: 1 },
      { clock: systemClock },
    );
    assert.equal(limiter.take('k').allowed, true);
    for (let round = 0; round < 50; round += 1) {
      const refused = limiter.take('k');
      assert.ok(!refused.allowed);
      assert.ok(refused.retryAfterMs >= 8571 && refused.retryAfterMs <= 8572, String(refused.retryAfterMs));
      timers.tick(refused.retryAfterMs);
      assert.equal(limiter.take('k').allowed, true, `round ${round}`);
    }
  });

  it('gives every key its own bucket', () => {
    const limiter = new RateLimiter(PER_MINUTE, { clock: systemClock });
    assert.equal(takeMany(limiter, 'key-a', 12), 10);
    assert.equal(takeMany(limiter, 'key-b', 12), 10, 'key-b is not slowed by key-a');
    assert.equal(limiter.take('address:127.0.0.1').allowed, true);
  });

  it('forgets the least recently used buckets past maxKeys', () => {
    const limiter = new RateLimiter(PER_MINUTE, { clock: systemClock, maxKeys: 3 });
    takeMany(limiter, 'old', 10);
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    assert.equal(limiter.size, 3);
    // 'old' was forgotten, so it starts again with a full bucket.
    assert.equal(takeMany(limiter, 'old', 10), 10);
  });

  it('refuses a policy that is not whole numbers of at least 1', () => {
    for (const policy of [
      { ...PER_MINUTE, tokensPerInterval: 0 },
      { ...PER_MINUTE, burst: 0 },
      { ...PER_MINUTE, intervalMs: 0.5 },
      { ...PER_MINUTE, burst: Number.NaN },
    ]) {
      assert.throws(() => new RateLimiter(policy), ConfigError, JSON.stringify(policy));
    }
  });

  it('rounds a wait up to whole seconds for Retry-After, at least 1', () => {
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(0), 1);
    assert.equal(retryAfterSeconds(3000), 3);
    assert.equal(retryAfterSeconds(3001), 4);
  });
});
