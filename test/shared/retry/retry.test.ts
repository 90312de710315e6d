import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { ConnectorError, ModelError } from '../../../src/shared/errors';
import { retryDelay, withRetry, type RetryPolicy } from '../../../src/shared/retry';
import { systemClock } from '../../../src/shared/time';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 20_000 };

function retryable(retryAfter?: string): ModelError {
  return new ModelError(
    'busy',
    true,
    retryAfter === undefined ? {} : { retryAfter: { 'retry-after': retryAfter } },
  );
}

describe('withRetry', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000 });
  });
  afterEach(() => clock.restore());

  it('bounds the attempts at 1 + maxRetries and rethrows the last failure', async () => {
    const failures = [1, 2, 3, 4, 5].map(() => retryable());
    const operation = sinon.stub();
    failures.forEach((failure, index) => operation.onCall(index).rejects(failure));
    const delays: number[] = [];
    const run = withRetry(operation, {
      policy,
      clock: systemClock,
      random: () => 0.999,
      onRetry: (retry) => delays.push(retry.delayMs),
    });
    const settled = assert.rejects(run, (error: unknown) => error === failures[3]);
    await clock.tickAsync(60_000);
    await settled;
    assert.equal(operation.callCount, 4);
    assert.deepEqual(
      operation.getCalls().map((call) => call.args[0] as number),
      [1, 2, 3, 4],
    );
    assert.deepEqual(delays, [499, 999, 1998]);
  });

  it('does not retry a failure its error class calls final, nor one that is no AppError', async () => {
    for (const error of [new ModelError('bad request', false), new Error('plain')]) {
      const operation = sinon.stub().rejects(error);
      await assert.rejects(
        withRetry(operation, { policy, clock: systemClock }),
        (thrown) => thrown === error,
      );
      assert.equal(operation.callCount, 1);
    }
  });

  it('asks classify for the error class, and rethrows what the operation threw', async () => {
    const raw = Object.assign(new Error('status 503'), { statusCode: 503 });
    const operation = sinon.stub();
    operation.onCall(0).rejects(raw);
    operation.onCall(1).rejects(raw);
    const run = withRetry(operation, {
      policy,
      clock: systemClock,
      classify: (error) =>
        new ConnectorError('send failed', 503, undefined, operation.callCount < 2, { cause: error }),
    });
    const settled = assert.rejects(run, (thrown) => thrown === raw);
    await clock.tickAsync(10_000);
    await settled;
    assert.equal(operation.callCount, 2);
  });

  it('honours a Retry-After (seconds or HTTP date) and gives up on one beyond the cap', async () => {
    const operation = sinon.stub();
    operation.onCall(0).rejects(retryable('3'));
    operation.onCall(1).rejects(retryable(new Date(1_000 + 5_000).toUTCString()));
    operation.onCall(2).rejects(retryable('3600'));
    const delays: number[] = [];
    const run = withRetry(operation, {
      policy,
      clock: systemClock,
      random: () => 0,
      onRetry: (retry) => delays.push(retry.delayMs),
    });
    const settled = assert.rejects(run, /busy/);
    await clock.tickAsync(2_999);
    assert.equal(operation.callCount, 1, 'still waiting for the Retry-After');
    await clock.tickAsync(1);
    assert.equal(operation.callCount, 2);
    await clock.tickAsync(60_000);
    await settled;
    assert.equal(operation.callCount, 3, 'a Retry-After of an hour is not waited for');
    assert.equal(delays.length, 2);
    assert.equal(delays[0], 3000);
    assert.ok(delays[1] >= 1000 && delays[1] <= 2000, `the HTTP date was read relative to now: ${delays[1]}`);
  });

  it('waits at least minDelayMs, and lets mayRetry veto a retryable failure', async () => {
    const operation = sinon.stub();
    operation.onCall(0).rejects(retryable('0'));
    operation.onCall(1).rejects(retryable());
    const delays: number[] = [];
    const run = withRetry(operation, {
      policy,
      clock: systemClock,
      minDelayMs: 1000,
      mayRetry: (failed) => failed.attempt === 1,
      onRetry: (retry) => delays.push(retry.delayMs),
    });
    const settled = assert.rejects(run, /busy/);
    await clock.tickAsync(5_000);
    await settled;
    assert.deepEqual(delays, [1000]);
    assert.equal(operation.callCount, 2);
  });

  it('ends the wait when the signal aborts, and does not retry after it', async () => {
    const failure = retryable('10');
    const operation = sinon.stub().rejects(failure);
    const controller = new AbortController();
    const run = withRetry(operation, { policy, clock: systemClock, signal: controller.signal });
    const settled = assert.rejects(run, (thrown) => thrown === failure);
    await clock.tickAsync(4_000);
    controller.abort();
    await settled;
    assert.equal(operation.callCount, 1);
    assert.equal(clock.countTimers(), 0, 'the wait left no timer behind');
  });

  it('ends the wait on abort even with a clock that ignores the signal', async () => {
    const operation = sinon.stub().rejects(retryable('10'));
    const controller = new AbortController();
    const deafClock = { now: () => Date.now(), sleep: (ms: number) => systemClock.sleep(ms) };
    const run = withRetry(operation, { policy, clock: deafClock, signal: controller.signal });
    const settled = assert.rejects(run, /busy/);
    await clock.tickAsync(1_000);
    controller.abort();
    await settled;
    assert.equal(operation.callCount, 1);
    await clock.tickAsync(10_000);
  });

  it('does not retry or wait once the signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const operation = sinon.stub().rejects(retryable());
    const onRetry = sinon.spy();
    await assert.rejects(
      withRetry(operation, { policy, clock: systemClock, signal: controller.signal, onRetry }),
    );
    assert.equal(operation.callCount, 1);
    assert.equal(onRetry.callCount, 0);
  });
});

describe('retryDelay', () => {
  it('is undefined when the retries are used up, and a jittered delay below the ceiling otherwise', () => {
    const failed = { error: undefined, failure: retryable() };
    assert.equal(retryDelay({ ...failed, attempt: 4 }, { policy, random: () => 0.5 }), undefined);
    assert.equal(retryDelay({ ...failed, attempt: 3 }, { policy, random: () => 0.5 }), 1000);
  });
});
