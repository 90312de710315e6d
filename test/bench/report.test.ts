import { strict as assert } from 'node:assert';
import {
  buildReport,
  conversationMetrics,
  cpuPerTurn,
  formatReport,
  parseParameters,
  type CapacityResult,
  type FloorResult,
  type PassResult,
  type StreamImplementation,
} from '../../bench';

function pass(
  implementation: StreamImplementation,
  informativeP50: number,
  informativeP99: number,
): PassResult {
  return {
    implementation,
    loadAverageBefore: 0.5,
    metrics: {
      ...conversationMetrics([]),
      informativeLatencyMs: { count: 2, p50: informativeP50, p99: informativeP99, max: informativeP99 },
    },
    resources: {
      baselineRssBytes: 1,
      peakRssBytes: 2,
      rssSamples: 3,
      sampleIntervalMs: 50,
      eventLoopResolutionMs: 10,
      eventLoopDelayP50Ms: 1,
      eventLoopDelayP99Ms: 20,
      eventLoopDelayMaxMs: 30,
      eventLoopIntervalP99Ms: 30,
    },
    rssPerStreamBytes: 0.5,
    loadDurationMs: 4000,
    cpu: cpuPerTurn({ user: 30_000, system: 10_000 }, 4000, 2, 4000),
    allFinalsArrived: true,
    answeredByDeadline: 2,
    failedPosts: 0,
    postFailureExamples: [],
    unhandledRejections: 0,
    modelStats: { open: 0, aborted: 0, completed: 2 },
    toolRounds: 0,
    clockOffsetsMs: { model: 0, connector: 0 },
    connections: { model: 1, connector: 1 },
    sendsReceived: 8,
    modelProcessLoopDelay: { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2 },
    connectorProcessLoopDelay: { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2 },
    conversations: [],
  };
}

const floor: FloorResult = {
  conversations: 2,
  informativeUpdates: 2,
  informativeLatencyMs: { count: 2, p50: 10, p99: 40, max: 40 },
  cpu: cpuPerTurn({ user: 2_000, system: 0 }, 100, 2, 1_000),
  resources: pass('library', 0, 0).resources,
  failedPosts: 0,
  postFailureExamples: [],
  allArrived: true,
};

describe('bench report: CPU, floor and capacity', () => {
  const parameters = parseParameters([], {}, '/r');
  const at = new Date('2026-12-06T00:00:00Z');

  it('shows the bot CPU per answered turn with the load generator’s share subtracted', () => {
    const report = buildReport(parameters, [pass('teams-streamer', 50, 100)], at, at);
    const row = report.figures.find((figure) => figure.figure.startsWith('bot CPU per answered turn'));
    // (30 + 10 ms) / 2 turns − 4 ms / 2 turns.
    assert.equal(row?.values['teams-streamer'], 18);
    assert.match(formatReport(report), /bot CPU per answered turn, user\+system \(ms\)\s+18\.00/);
  });

  it('shows how far each streamer’s informative latency lies above the floor’s', () => {
    const passes = [pass('teams-streamer', 50, 100), pass('library', 30, 240)];
    const report = buildReport(parameters, passes, at, at, { floor });
    const p99 = report.figures.find((figure) => figure.figure === 'informative p99 above the floor (ms)');
    assert.deepEqual(p99?.values, { 'teams-streamer': 60, library: 200 });
    assert.equal(p99?.ratio, 200 / 60);
    const p50 = report.figures.find((figure) => figure.figure === 'informative p50 above the floor (ms)');
    assert.deepEqual(p50?.values, { 'teams-streamer': 40, library: 20 });
    assert.equal(report.floor, floor);
    assert.match(formatReport(report), /floor .*p99 40\.0 ms/);
  });

  it('prints the capacity per streamer, ≥ when even the upper bound passed', () => {
    const step = (rate: number, ok: boolean): CapacityResult['steps'][number] => ({
      rate,
      conversations: rate * 10,
      pass: ok,
      failures: ok ? [] : ['event-loop delay p99 60.0 ms ≥ 50 ms'],
      result: pass('teams-streamer', 10, 20),
    });
    const bounds = { startRate: 10, minRate: 1, maxRate: 20, maxSteps: 8, precision: 1.1 };
    const limits = { informativeP99Ms: 500, eventLoopP99Ms: 50 };
    const capacity: CapacityResult[] = [
      {
        implementation: 'teams-streamer',
        bounds,
        limits,
        durationMs: 10_000,
        capacity: 20,
        firstFailingRate: undefined,
        reason: 'passed at the upper bound',
        steps: [step(10, true), step(20, true)],
      },
      {
        implementation: 'library',
        bounds,
        limits,
        durationMs: 10_000,
        capacity: 10,
        firstFailingRate: 11,
        reason: 'bracketed',
        steps: [step(10, true), step(20, false), step(15, false), step(11, false)],
      },
    ];
    const text = formatReport(
      buildReport({ ...parameters, capacity: true }, [], at, at, { capacity, capacityBounds: 'bounds line' }),
    );
    assert.match(text, /capacity, turns\/s .*\s+≥ 20\.0\s+10\.0/);
    assert.match(text, /lowest failing rate, turns\/s\s+n\/a\s+11\.0/);
    assert.match(text, /20\.0\/s \(200 conversations\): FAIL; .*event-loop delay p99 60\.0 ms ≥ 50 ms/);
    assert.match(text, /bounds line/);
  });
});
