import { strict as assert } from 'node:assert';
import { FairShare, noCheckpoint, type Checkpoint } from '../../../src/shared/scheduling';
import type { Clock } from '../../../src/shared/time';

/** A clock that only moves when the test's simulated work says so (each step "costs" some milliseconds). */
function workClock(): Clock & { spend(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    sleep: () => Promise.reject(new Error('not used')),
    spend: (ms) => {
      now += ms;
    },
  };
}

/** One event-loop iteration later (an immediate queued from an immediate runs in the next iteration). */
const nextIteration = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** A turn's work: `steps` pieces, each behind the checkpoint and costing `costMs` of the clock. */
async function turnWork(
  name: string,
  steps: number,
  costMs: number,
  checkpoint: Checkpoint,
  clock: { spend(ms: number): void },
  log: string[],
): Promise<void> {
  for (let step = 0; step < steps; step += 1) {
    const turnToWait = checkpoint();
    if (turnToWait) await turnToWait;
    clock.spend(costMs);
    log.push(`${name}${step}`);
  }
}

describe('FairShare: admitted work gives way to new arrivals, turn by turn', () => {
  it('lets work go on at once while the iteration’s slice has time left, and makes it wait after', async () => {
    const clock = workClock();
    const share = new FairShare({ sliceMs: 4, clock });
    assert.equal(share.checkpoint(), undefined, 'the first piece starts the slice');
    clock.spend(3);
    assert.equal(share.checkpoint(), undefined, '3 ms of 4 used: go on');
    clock.spend(2);
    const waiting = share.checkpoint();
    assert.ok(waiting, 'the slice is used up: wait');
    let released = false;
    waiting.then(
      () => {
        released = true;
      },
      () => assert.fail('a checkpoint never rejects'),
    );
    await Promise.resolve();
    assert.equal(released, false, 'not released in the same iteration’s microtasks');
    assert.equal(share.waitingCount, 1);
    await nextIteration();
    assert.equal(released, true, 'released by a later iteration’s drain');
    assert.equal(share.waitingCount, 0);
  });

  it('starts a fresh slice in the next iteration', async () => {
    const clock = workClock();
    const share = new FairShare({ sliceMs: 4, clock });
    assert.equal(share.checkpoint(), undefined);
    clock.spend(10);
    await nextIteration();
    assert.equal(share.checkpoint(), undefined, 'the used-up slice ended with its iteration');
  });

  it('takes turns: waiting work is released in order, so one turn with many steps cannot starve another', async () => {
    const clock = workClock();
    const share = new FairShare({ sliceMs: 4, clock });
    const log: string[] = [];
    await Promise.all([
      turnWork('A', 5, 3, share.checkpoint, clock, log),
      turnWork('B', 5, 3, share.checkpoint, clock, log),
    ]);
    // A runs until its slice is used up (A0, A1), then A and B alternate through the queue.
    assert.deepEqual(log, ['A0', 'A1', 'A2', 'B0', 'A3', 'B1', 'A4', 'B2', 'B3', 'B4']);
  });

  it('without it, the first turn runs all its steps before the second starts (the behaviour it replaces)', async () => {
    const clock = workClock();
    const log: string[] = [];
    await Promise.all([
      turnWork('A', 5, 3, noCheckpoint, clock, log),
      turnWork('B', 5, 3, noCheckpoint, clock, log),
    ]);
    assert.deepEqual(log, ['A0', 'A1', 'A2', 'A3', 'A4', 'B0', 'B1', 'B2', 'B3', 'B4']);
  });

  it('lets an arrival in the next iteration run after at most a slice of admitted work', async () => {
    const clock = workClock();
    const share = new FairShare({ sliceMs: 4, clock });
    const log: string[] = [];
    // 20 turns of 50 steps each: 3 s of simulated work already admitted.
    const admitted = Array.from({ length: 20 }, (_, index) =>
      turnWork(`T${index}-`, 50, 3, share.checkpoint, clock, log),
    );
    let workBeforeArrival: number | undefined;
    // A new request is read in the next iteration's poll phase: stand-in, an immediate of the next iteration.
    setImmediate(() =>
      setImmediate(() => {
        workBeforeArrival = log.length;
      }),
    );
    await Promise.all(admitted);
    assert.ok(workBeforeArrival !== undefined);
    // The first slice, then one drain of a slice (2 steps each) in each of the two iterations the stand-in
    // waits for: 6 steps, not the 1000 admitted.
    assert.ok(workBeforeArrival <= 6, `${workBeforeArrival} steps ran before the arrival`);
    assert.equal(log.length, 1000, 'and all admitted work still ran');
  });
});
