import { strict as assert } from 'node:assert';
import {
  botProcessesCpuPerTurn,
  buildReport,
  conversationMetrics,
  cpuPerTurn,
  formatReport,
  parseParameters,
  type CapacityResult,
  type FloorResult,
  type PassImplementation,
  type PassResult,
} from '../../bench';

function pass(
  implementation: PassImplementation,
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

describe('bench report: the cluster pass and figures it does not have', () => {
  const parameters = parseParameters([], {}, '/r');
  const at = new Date('2026-12-06T00:00:00Z');

  /** A cluster pass whose workers did not report their event loop, with CPU from /proc. */
  function clusterPass(): PassResult {
    const base = pass('teams-streamer-cluster', 40, 90);
    return {
      ...base,
      cluster: { processes: 2, primaryPid: 10, workerPids: [11, 12] },
      cpu: botProcessesCpuPerTurn({ user: 50_000, system: 10_000 }, 4000, 2),
      resources: {
        baselineRssBytes: 600 * 1024 * 1024,
        peakRssBytes: 640 * 1024 * 1024,
        rssSamples: 80,
        sampleIntervalMs: 50,
        pids: [10, 11, 12],
        workerEventLoops: [],
      },
    };
  }

  it('shows n/a for figures the cluster pass lacks, and its own figures beside the in-process ones', () => {
    const report = buildReport(parameters, [pass('teams-streamer', 50, 100), clusterPass()], at, at);
    const value = (label: string) => report.figures.find((figure) => figure.figure.startsWith(label))?.values;
    assert.deepEqual(value('event-loop delay p99'), { 'teams-streamer': 20 });
    assert.deepEqual(value('load generator CPU per turn'), { 'teams-streamer': 2 });
    assert.deepEqual(value('bot CPU per answered turn'), {
      'teams-streamer': 18,
      'teams-streamer-cluster': 30,
    });
    assert.deepEqual(value('peak RSS'), { 'teams-streamer': 2 / 1024 / 1024, 'teams-streamer-cluster': 640 });
    const text = formatReport(report);
    assert.match(text, /^figure\s+teams-streamer\s+teams-streamer-cluster$/m);
    assert.match(text, /event-loop delay p99 \(ms\)\s+20\.0\s+n\/a$/m);
    assert.match(text, /load generator CPU per turn, subtracted \(ms\)\s+2\.00\s+n\/a$/m);
    assert.match(text, /bot CPU per answered turn, user\+system \(ms\)\s+18\.00\s+30\.00$/m);
    assert.match(text, /2 worker processes \(pids 11, 12\) under primary 10; .*no worker reported/);
    assert.doesNotMatch(text, /NaN|undefined/);
  });

  it('marks a target the pass could not measure as n/a (not measured), neither PASS nor FAIL', () => {
    const report = buildReport(parameters, [pass('teams-streamer', 50, 100), clusterPass()], at, at);
    const loop = report.targets['teams-streamer-cluster']?.[0];
    assert.equal(loop?.verdict, 'not measured');
    assert.equal(loop?.pass, false);
    assert.equal(report.targets['teams-streamer']?.[0]?.verdict, 'PASS');
    const text = formatReport(report);
    assert.match(text, /^event-loop delay p99 < 50 ms .*PASS \(20\.0\)\s+n\/a \(not measured\)$/m);
    assert.match(text, /^informative latency p99 < 300 ms\s+PASS \(100\.0\)\s+PASS \(90\.0\)$/m);
    // The JSON keeps the verdict (pass: false alone would read as a failure).
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    assert.equal(json.targets['teams-streamer-cluster']?.[0]?.verdict, 'not measured');
  });

  it('shows the worst worker’s event loop when every worker reported', () => {
    const reported = clusterPass();
    const loops = [
      { pid: 11, resolutionMs: 10, p50Ms: 1, p99Ms: 12, maxMs: 40, intervalP99Ms: 22 },
      { pid: 12, resolutionMs: 10, p50Ms: 1, p99Ms: 31, maxMs: 35, intervalP99Ms: 41 },
    ];
    reported.resources = {
      ...reported.resources,
      workerEventLoops: loops,
      eventLoopResolutionMs: 10,
      eventLoopDelayP50Ms: 1,
      eventLoopDelayP99Ms: 31,
      eventLoopDelayMaxMs: 40,
      eventLoopIntervalP99Ms: 41,
    };
    const report = buildReport(parameters, [reported], at, at);
    assert.equal(report.targets['teams-streamer-cluster']?.[0]?.verdict, 'PASS');
    assert.match(formatReport(report), /pid 11 p99 12\.0 ms, max 40\.0 ms; pid 12 p99 31\.0 ms/);
  });
});
