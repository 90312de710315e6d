import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { CONNECTOR_RETRY, retryAfterMs, sendWithRetry } from '../../src/streaming/connectorRetry';
import { systemClock } from '../../src/shared/time';

function failure(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`status ${status}`), {
    statusCode: status,
    response: { headers: { get: (name: string) => headers[name] } },
  });
}

describe('sendWithRetry', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000 });
  });
  afterEach(() => clock.restore());

  it('backs off with full jitter, doubling the ceiling, and stops after 3 retries', async () => {
    const send = sinon.stub().rejects(failure(502));
    const delays: number[] = [];
    const run = sendWithRetry(send, {
      clock: systemClock,
      random: () => 0.999,
      onRetry: (info) => delays.push(info.delayMs),
    });
    const settled = assert.rejects(run, /status 502/);
    await clock.tickAsync(60_000);
    await settled;
    assert.equal(send.callCount, 1 + CONNECTOR_RETRY.maxRetries);
    assert.deepEqual(delays, [499, 999, 1998]);
  });

  it('draws each delay between 0 and the ceiling', async () => {
    const send = sinon.stub();
    send.onCall(0).rejects(failure(504));
    send.onCall(1).resolves({ id: 'ok' });
    const delays: number[] = [];
    const run = sendWithRetry(send, {
      clock: systemClock,
      random: () => 0,
      onRetry: (info) => delays.push(info.delayMs),
    });
    await clock.tickAsync(10);
    assert.deepEqual(await run, { id: 'ok' });
    assert.deepEqual(delays, [0]);
  });

  it('does not retry a failure that retrying cannot fix (400, 403, no status)', async () => {
    for (const error of [failure(400), failure(403), new Error('socket hang up')]) {
      const send = sinon.stub().rejects(error);
      await assert.rejects(sendWithRetry(send, { clock: systemClock }));
      assert.equal(send.callCount, 1);
    }
  });

  it('waits at least minDelayMs and gives up on a Retry-After that would stall the stream', async () => {
    const send = sinon.stub();
    send.onCall(0).rejects(failure(429, { 'retry-after': '0' }));
    send.onCall(1).rejects(failure(429, { 'retry-after': '3600' }));
    const delays: number[] = [];
    const run = sendWithRetry(send, {
      clock: systemClock,
      minDelayMs: 1000,
      onRetry: (info) => delays.push(info.delayMs),
    });
    const settled = assert.rejects(run, /status 429/);
    await clock.tickAsync(5_000);
    await settled;
    assert.deepEqual(delays, [1000]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(retryAfterMs(failure(429, { 'retry-after': '2' }), 0), 2000);
    assert.equal(retryAfterMs(failure(429, { 'retry-after': '0.5' }), 0), 500);
    const now = Date.parse('2026-11-21T10:00:00Z');
    assert.equal(retryAfterMs(failure(429, { 'retry-after': 'Sat, 21 Nov 2026 10:00:04 GMT' }), now), 4000);
    assert.equal(retryAfterMs(failure(429, { 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(failure(429), now), undefined);
  });
});
