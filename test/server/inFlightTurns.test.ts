import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { InFlightTurns } from '../../src/server';
import { systemClock } from '../../src/shared/time';

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlightTurns (waiting for background turns on shutdown)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers();
  });
  afterEach(() => timers.restore());

  it('counts running turns until they end, whether they succeed or fail', async () => {
    const turns = new InFlightTurns(systemClock);
    const first = deferred();
    const second = deferred();
    const firstRun = turns.run(() => first.promise);
    const secondRun = turns.run(() => second.promise);
    assert.equal(turns.count, 2);
    first.resolve();
    await firstRun;
    assert.equal(turns.count, 1);
    second.reject(new Error('the turn broke'));
    await assert.rejects(secondRun, /the turn broke/, 'the caller still gets the error');
    await Promise.resolve();
    assert.equal(turns.count, 0);
  });

  it('drains at once when nothing runs', async () => {
    const turns = new InFlightTurns(systemClock);
    assert.equal(await turns.drain(10_000), 0);
  });

  it('waits for running turns to end before draining resolves', async () => {
    const turns = new InFlightTurns(systemClock);
    const turn = deferred();
    const run = turns.run(() => turn.promise);
    let drainedAt: number | undefined;
    let left: number | undefined;
    const draining = turns.drain(10_000).then((count) => {
      left = count;
      drainedAt = Date.now();
    });
    await timers.tickAsync(5_000);
    assert.equal(drainedAt, undefined, 'still waiting after 5 s');
    const endedAt = Date.now();
    turn.resolve();
    await run;
    await timers.tickAsync(0);
    await draining;
    assert.equal(left, 0);
    assert.equal(drainedAt, endedAt, 'resolved as soon as the turn ended');
  });

  it('stops waiting at the bound and reports how many turns were still running', async () => {
    const turns = new InFlightTurns(systemClock);
    const stuck = deferred();
    const run = turns.run(() => stuck.promise);
    await turns.run(() => Promise.resolve());
    let drained: number | undefined;
    const draining = turns.drain(10_000).then((left) => (drained = left));
    await timers.tickAsync(9_900);
    assert.equal(drained, undefined);
    await timers.tickAsync(100);
    await draining;
    assert.equal(drained, 1);
    stuck.resolve();
    await run;
  });
});
