import { strict as assert } from 'node:assert';
import {
  capacityStepFailures,
  conversationMetrics,
  cpuPerTurn,
  nextCapacityStep,
  type CapacityBounds,
  type CapacityStep,
  type PassResult,
} from '../../bench';

const BOUNDS: CapacityBounds = { startRate: 10, minRate: 1, maxRate: 200, maxSteps: 8, precision: 1.1 };

/** Runs the search against a bot whose capacity is `capacity` turns/s: rates up to it pass. */
function search(
  capacity: number,
  bounds: CapacityBounds = BOUNDS,
): { rates: number[]; decision: ReturnType<typeof nextCapacityStep> } {
  const steps: CapacityStep[] = [];
  for (;;) {
    const decision = nextCapacityStep(bounds, steps);
    if (decision.done) return { rates: steps.map((step) => step.rate), decision };
    steps.push({ rate: decision.rate, pass: decision.rate <= capacity });
  }
}

/** A step's pass with the given figures; everything else passes. */
function stepPass(informativeP99: number | undefined, loopP99: number, allFinalsArrived = true): PassResult {
  const metrics = conversationMetrics([]);
  return {
    metrics: {
      ...metrics,
      conversations: 10,
      completed: allFinalsArrived ? 10 : 9,
      informativeLatencyMs: informativeP99 === undefined ? { count: 0 } : { count: 10, p99: informativeP99 },
    },
    resources: { eventLoopDelayP99Ms: loopP99 },
    allFinalsArrived,
    cpu: cpuPerTurn({ user: 0, system: 0 }, 1, 1, 0),
  } as unknown as PassResult;
}

describe('bench capacity search', () => {
  it('starts at the start rate', () => {
    assert.deepEqual(nextCapacityStep(BOUNDS, []), { done: false, rate: 10 });
  });

  it('doubles while steps pass, then bisects between the highest pass and the lowest failure', () => {
    const { rates, decision } = search(55);
    assert.deepEqual(rates.slice(0, 4), [10, 20, 40, 80]);
    assert.equal(rates[4], 60);
    assert.equal(rates[5], 50);
    assert.ok(decision.done);
    assert.ok(decision.capacity !== undefined && decision.capacity <= 55);
    assert.ok(decision.firstFailingRate !== undefined && decision.firstFailingRate > 55);
    assert.ok(decision.firstFailingRate / decision.capacity <= 1.1);
    assert.match(decision.reason, /within 10 %/);
  });

  it('halves while steps fail, down to the lower bound, and reports no capacity when even that fails', () => {
    const { rates, decision } = search(0.5);
    assert.deepEqual(rates, [10, 5, 2.5, 1.3, 1]);
    assert.ok(decision.done);
    assert.equal(decision.capacity, undefined);
    assert.equal(decision.firstFailingRate, 1);
    assert.match(decision.reason, /lower bound/);
  });

  it('stops at the upper bound when every step passes, the capacity being at least that', () => {
    const { rates, decision } = search(1000);
    assert.deepEqual(rates, [10, 20, 40, 80, 160, 200]);
    assert.ok(decision.done);
    assert.equal(decision.capacity, 200);
    assert.equal(decision.firstFailingRate, undefined);
    assert.match(decision.reason, /upper bound/);
  });

  it('never runs more than the step bound', () => {
    const { rates, decision } = search(55, { ...BOUNDS, maxSteps: 3 });
    assert.deepEqual(rates, [10, 20, 40]);
    assert.ok(decision.done);
    assert.equal(decision.capacity, 40);
    assert.match(decision.reason, /after 3 steps/);
  });

  it('stops when the 0.1/s rounding would repeat a rate', () => {
    const { decision } = search(1.05, { ...BOUNDS, startRate: 1, precision: 1.01 });
    assert.ok(decision.done);
    assert.equal(decision.capacity, 1);
    assert.equal(decision.firstFailingRate, 1.1);
  });

  it('ignores a failure below a pass (noise) and keeps the highest pass', () => {
    const decision = nextCapacityStep(BOUNDS, [
      { rate: 10, pass: true },
      { rate: 20, pass: false },
      { rate: 15, pass: true },
      { rate: 12, pass: false },
    ]);
    assert.deepEqual(decision, { done: false, rate: 17.5 });
  });

  it('passes a step only under both limits, with every answer in', () => {
    assert.deepEqual(capacityStepFailures(stepPass(499.9, 49.9)), []);
    assert.equal(capacityStepFailures(stepPass(500, 10)).length, 1);
    assert.match(capacityStepFailures(stepPass(500, 10))[0], /informative p99/);
    assert.match(capacityStepFailures(stepPass(100, 50))[0], /event-loop/);
    assert.match(capacityStepFailures(stepPass(undefined, 10))[0], /no informative latency/);
    assert.ok(capacityStepFailures(stepPass(100, 10, false)).length >= 1);
  });
});
