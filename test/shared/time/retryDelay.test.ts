import { strict as assert } from 'node:assert';
import { fullJitterDelay, parseRetryAfter } from '../../../src/shared/time';

describe('retry delays', () => {
  it('reads Retry-After as seconds, fractions included, or as an HTTP date, never negative', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('0.25', now), 250);
    assert.equal(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Sat, 21 Nov 2026 09:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('-2', now), 0);
    assert.equal(parseRetryAfter('later', now), undefined);
    assert.equal(parseRetryAfter('  ', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('draws a full-jitter delay under a ceiling that doubles per attempt and is capped', () => {
    const policy = { baseDelayMs: 500, maxDelayMs: 3000 };
    const top = () => 0.999999;
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => fullJitterDelay(attempt, policy, top)),
      [499, 999, 1999, 2999],
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0),
      0,
    );
  });
});
