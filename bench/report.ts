import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CapacityResult } from './capacityRun';
import type { FloorResult } from './floorPass';
import { ratio } from './metrics';
import {
  CLUSTER_IMPLEMENTATION,
  finalsDeadlineMs,
  type BenchParameters,
  type PassImplementation,
} from './parameters';
import type { PassResult } from './passResult';
import { checkTargets, type TargetCheck } from './targets';

/** The machine the benchmark ran on. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryBytes: number;
  node: string;
  platform: string;
  arch: string;
}

/** One figure for every pass, and library / teams-streamer. */
export interface FigureRow {
  figure: string;
  values: Partial<Record<PassImplementation, number>>;
  /** library / teams-streamer, when both ran and the divisor is not 0. */
  ratio?: number;
}

/** The whole run, as written to bench/results/<timestamp>.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  parameters: BenchParameters;
  /** Conversations with a search_knowledge round (floor(conversations × toolShare)). */
  toolConversations: number;
  figures: FigureRow[];
  targets: Partial<Record<PassImplementation, TargetCheck[]>>;
  passes: PassResult[];
  /** The stripped path (authenticate, send the informative update) under the same load; absent with --no-floor. */
  floor?: FloorResult;
  /** `--capacity`: the search per streamer (then `passes` is empty: no fixed-load pass ran). */
  capacity?: CapacityResult[];
  /** `--capacity`: the search's bounds as printed. */
  capacityBounds?: string;
}

/** Reads the machine description. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
  };
}

interface Figure {
  label: string;
  digits: number;
  value: (pass: PassResult) => number | undefined;
}

const MIB = 1024 * 1024;

const FIGURES: readonly Figure[] = [
  { label: 'informative latency p50 (ms)', digits: 1, value: (p) => p.metrics.informativeLatencyMs.p50 },
  { label: 'informative latency p99 (ms)', digits: 1, value: (p) => p.metrics.informativeLatencyMs.p99 },
  {
    label: 'first-text delay above bound p50 (ms)',
    digits: 1,
    value: (p) => p.metrics.firstTextDelayAboveBoundMs.p50,
  },
  {
    label: 'first-text delay above bound p99 (ms)',
    digits: 1,
    value: (p) => p.metrics.firstTextDelayAboveBoundMs.p99,
  },
  { label: 'final delay after last token p50 (ms)', digits: 1, value: (p) => p.metrics.finalDelayMs.p50 },
  { label: 'final delay after last token max (ms)', digits: 1, value: (p) => p.metrics.finalDelayMs.max },
  { label: 'smallest gap between two sends (ms)', digits: 1, value: (p) => p.metrics.rate.smallestGapMs },
  { label: 'sends < 1000 ms apart', digits: 0, value: (p) => p.metrics.rate.gapsUnderOneSecond },
  {
    label: '> 7 sends/conversation in 1 s',
    digits: 0,
    value: (p) => p.metrics.rate.burstsOverSevenPerSecond,
  },
  { label: 'text fidelity (%)', digits: 2, value: (p) => p.metrics.fidelityPercent },
  { label: 'final text == model text', digits: 0, value: (p) => p.metrics.matchingFinals },
  { label: 'peak RSS (MiB)', digits: 1, value: (p) => p.resources.peakRssBytes / MIB },
  { label: 'RSS per active stream (KiB)', digits: 1, value: (p) => p.rssPerStreamBytes / 1024 },
  { label: 'event-loop delay p99 (ms)', digits: 1, value: (p) => p.resources.eventLoopDelayP99Ms },
  { label: 'event-loop delay max (ms)', digits: 1, value: (p) => p.resources.eventLoopDelayMaxMs },
  {
    label: 'bot CPU per answered turn, user+system (ms)',
    digits: 2,
    value: (p) => p.cpu.botMsPerTurn,
  },
  {
    label: 'load generator CPU per turn, subtracted (ms)',
    digits: 2,
    value: (p) => p.cpu.loadGeneratorMsPerTurn,
  },
  { label: 'cores busy in the bot process(es), gross', digits: 2, value: (p) => p.cpu.coresBusy },
  {
    label: 'model process event-loop delay p99 (ms)',
    digits: 1,
    value: (p) => p.modelProcessLoopDelay.eventLoopDelayP99Ms,
  },
  {
    label: 'connector process event-loop delay p99 (ms)',
    digits: 1,
    value: (p) => p.connectorProcessLoopDelay.eventLoopDelayP99Ms,
  },
  { label: 'answers complete by the deadline', digits: 0, value: (p) => p.answeredByDeadline },
  { label: 'answers complete in the end', digits: 0, value: (p) => p.metrics.completed },
  { label: 'load duration (ms)', digits: 0, value: (p) => p.loadDurationMs },
  { label: 'streamSequence errors', digits: 0, value: (p) => p.metrics.protocol.sequenceErrors },
  { label: 'non-prefix streaming updates', digits: 0, value: (p) => p.metrics.protocol.nonPrefixUpdates },
  {
    label: 'stream sends after the final message',
    digits: 0,
    value: (p) => p.metrics.protocol.sendsAfterFinal,
  },
  { label: 'extra messages after the answer', digits: 0, value: (p) => p.metrics.protocol.extraMessages },
  { label: 'failed inbound POSTs', digits: 0, value: (p) => p.failedPosts },
  { label: 'unhandled rejections', digits: 0, value: (p) => p.unhandledRejections },
];

/** What a run produced besides the fixed-load passes. */
export interface ReportExtras {
  floor?: FloorResult;
  capacity?: CapacityResult[];
  capacityBounds?: string;
}

/** Rows comparing each pass's informative latency with the floor's. */
function floorRows(passes: readonly PassResult[], floor: FloorResult): FigureRow[] {
  const rows: Array<{ label: string; value: (pass: PassResult) => number | undefined }> = [
    {
      label: 'informative p50 above the floor (ms)',
      value: (p) => difference(p.metrics.informativeLatencyMs.p50, floor.informativeLatencyMs.p50),
    },
    {
      label: 'informative p99 above the floor (ms)',
      value: (p) => difference(p.metrics.informativeLatencyMs.p99, floor.informativeLatencyMs.p99),
    },
  ];
  return rows.map((row) => figureRow(row.label, passes, row.value));
}

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

function figureRow(
  label: string,
  passes: readonly PassResult[],
  value: (pass: PassResult) => number | undefined,
): FigureRow {
  const values: Partial<Record<PassImplementation, number>> = {};
  for (const pass of passes) {
    const found = value(pass);
    if (found !== undefined) values[pass.implementation] = found;
  }
  const quotient = ratio(values.library, values['teams-streamer']);
  const both =
    passes.some((p) => p.implementation === 'library') &&
    passes.some((p) => p.implementation === 'teams-streamer');
  return { figure: label, values, ...(both && quotient !== undefined ? { ratio: quotient } : {}) };
}

/** Builds the report from the passes. */
export function buildReport(
  parameters: BenchParameters,
  passes: PassResult[],
  startedAt: Date,
  finishedAt: Date,
  extras: ReportExtras = {},
): BenchReport {
  const byImplementation = new Map(passes.map((pass) => [pass.implementation, pass]));
  const figures = FIGURES.map((figure): FigureRow => {
    const values: Partial<Record<PassImplementation, number>> = {};
    for (const pass of passes) {
      const value = figure.value(pass);
      if (value !== undefined) values[pass.implementation] = value;
    }
    const library = byImplementation.get('library');
    const teams = byImplementation.get('teams-streamer');
    const quotient = library && teams ? ratio(figure.value(library), figure.value(teams)) : undefined;
    return { figure: figure.label, values, ...(quotient !== undefined ? { ratio: quotient } : {}) };
  });
  if (extras.floor) figures.push(...floorRows(passes, extras.floor));
  const targets: Partial<Record<PassImplementation, TargetCheck[]>> = {};
  for (const pass of passes) targets[pass.implementation] = checkTargets(pass);
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: describeMachine(),
    parameters,
    toolConversations: Math.floor(parameters.conversations * parameters.toolShare),
    figures,
    targets,
    passes,
    ...(extras.floor ? { floor: extras.floor } : {}),
    ...(extras.capacity ? { capacity: extras.capacity } : {}),
    ...(extras.capacityBounds ? { capacityBounds: extras.capacityBounds } : {}),
  };
}

function formatNumber(value: number | undefined, digits: number): string {
  return value === undefined ? 'n/a' : value.toFixed(digits);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('   '),
    )
    .join('\n');
}

/** The report as printed: machine, parameters, the figures table, and PASS/FAIL per target. */
export function formatReport(report: BenchReport): string {
  const { machine, parameters } = report;
  const implementations = report.passes.map((pass) => pass.implementation);
  const bothRan = implementations.includes('library') && implementations.includes('teams-streamer');
  const lines: string[] = [];
  lines.push(`Streaming latency benchmark, ${report.startedAt}`);
  lines.push(
    `Machine: ${machine.cpus} cores (${machine.cpuModel}), ${(machine.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB, Node ${machine.node} ${machine.platform}/${machine.arch}`,
  );
  const load = parameters.capacity
    ? [
        'capacity search (per step: rate × duration conversations, spread evenly over the duration)',
        `tool share ${parameters.toolShare}`,
      ]
    : [
        `${parameters.conversations} concurrent 1:1 conversations`,
        `tool share ${parameters.toolShare} (${report.toolConversations} conversations with a search_knowledge round)`,
        parameters.rampMs > 0 ? `messages spread over ${parameters.rampMs} ms` : 'all messages sent at once',
      ];
  lines.push(
    `Parameters: ${[
      load[0],
      `time to first token ${parameters.timeToFirstTokenMs} ms`,
      `${parameters.tokensPerSecond} tokens/s`,
      `${parameters.answerTokens}-token answers`,
      ...load.slice(1),
      `${parameters.warmupConversations} unmeasured warm-up conversations per fresh bot`,
    ].join(', ')}`,
  );
  for (const pass of report.passes) {
    const stats = pass.modelStats;
    lines.push(
      `${pass.implementation}: model responses (warm-up included) ${stats.completed} completed, ${stats.aborted} aborted, ${stats.open} open; TCP connections from the bot: ${pass.connections.model} to the model, ${pass.connections.connector} to the connector for ${pass.sendsReceived} sends; tool rounds ${pass.toolRounds}; load average before ${pass.loadAverageBefore.toFixed(2)}; helper clock offsets ${pass.clockOffsetsMs.model.toFixed(2)} ms (model), ${pass.clockOffsetsMs.connector.toFixed(2)} ms (connector)${pass.allFinalsArrived ? '' : `; NOT ALL ANSWERS ARRIVED BY THE DEADLINE (${Math.round(finalsDeadlineMs(parameters) / 1000)} s)`}`,
    );
    if (pass.cluster) lines.push(formatCluster(pass));
    for (const example of pass.postFailureExamples) lines.push(`  failed POST: ${example}`);
  }
  if (report.floor) lines.push(formatFloor(report.floor));
  if (report.capacity) {
    lines.push('');
    lines.push(...formatCapacity(report.capacity, report.capacityBounds));
  }
  if (report.passes.length === 0) return lines.join('\n');
  lines.push('');
  const header = ['figure', ...implementations, ...(bothRan ? ['library / teams-streamer'] : [])];
  const rows = report.figures.map((row, index) => {
    const digits = FIGURES[index]?.digits ?? 1;
    return [
      row.figure,
      ...implementations.map((implementation) => formatNumber(row.values[implementation], digits)),
      ...(bothRan ? [row.ratio === undefined ? 'n/a' : `${row.ratio.toFixed(2)}x`] : []),
    ];
  });
  lines.push(table([header, ...rows]));
  lines.push('');
  const targetNames = (report.targets[implementations[0]] ?? []).map((check) => check.name);
  const targetRows = targetNames.map((name, index) => [
    name,
    ...implementations.map((implementation) => {
      const check = report.targets[implementation]?.[index];
      return check ? formatCheck(check) : 'n/a';
    }),
  ]);
  lines.push(table([['target', ...implementations], ...targetRows]));
  if (report.passes.some((pass) => pass.cluster)) {
    lines.push('');
    lines.push(...CLUSTER_NOTES);
  }
  return lines.join('\n');
}

/** A target's cell: PASS or FAIL with the figure, or n/a when this kind of pass cannot measure it. */
function formatCheck(check: TargetCheck): string {
  return check.verdict === 'not measured'
    ? 'n/a (not measured)'
    : `${check.verdict} (${formatNumber(check.value, 1)})`;
}

/** Printed under the tables when a cluster pass ran: what its figures are, and why some are n/a. */
const CLUSTER_NOTES = [
  `${CLUSTER_IMPLEMENTATION}: the bot as production runs it with BOT_PROCESSES (node build/src/index.js in child processes).`,
  '  CPU: user+system of the primary and all workers from /proc over the load window; the load generator runs in',
  '  the benchmark process, so nothing is subtracted (its row is n/a). Peak RSS: the sum over primary and workers.',
  '  Event-loop delay: the worst worker (each worker reports through the opt-in probe); n/a when a worker did not report.',
];

/** The line of a cluster pass: its processes and each worker's event loop. */
function formatCluster(pass: PassResult): string {
  const cluster = pass.cluster;
  if (!cluster) return '';
  const loops = pass.resources.workerEventLoops ?? [];
  const perWorker =
    loops.length === 0
      ? 'no worker reported its event loop'
      : loops
          .map((loop) => `pid ${loop.pid} p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(1)} ms`)
          .join('; ');
  return `  ${cluster.processes} worker processes (pids ${cluster.workerPids.join(', ') || cluster.primaryPid}) under primary ${cluster.primaryPid}; event-loop delay per worker: ${perWorker}`;
}

/** The floor's line: the stripped path's informative latency and CPU under the same load. */
function formatFloor(floor: FloorResult): string {
  const latency = floor.informativeLatencyMs;
  return (
    `floor (same load through the product's HTTP front and adapter, handler sends only the informative update; no state, model or streaming): ` +
    `informative latency p50 ${formatNumber(latency.p50, 1)} ms, p99 ${formatNumber(latency.p99, 1)} ms, max ${formatNumber(latency.max, 1)} ms; ` +
    `${floor.informativeUpdates}/${floor.conversations} updates; CPU per update ${formatNumber(floor.cpu.botMsPerTurn, 3)} ms (load generator's share subtracted); ` +
    `event-loop delay p99 ${formatNumber(floor.resources.eventLoopDelayP99Ms, 1)} ms; failed POSTs ${floor.failedPosts}` +
    (floor.allArrived ? '' : '; NOT ALL UPDATES ARRIVED BY THE DEADLINE')
  );
}

/** The capacity table (one column per streamer) and each step on its own line. */
function formatCapacity(results: readonly CapacityResult[], bounds: string | undefined): string[] {
  const lines: string[] = [];
  if (bounds) lines.push(bounds);
  const atCapacity = (result: CapacityResult): CapacityResult['steps'][number] | undefined =>
    result.steps.find((step) => step.pass && step.rate === result.capacity);
  const rows: Array<[string, (result: CapacityResult) => string]> = [
    [
      'capacity, turns/s (informative p99 < 500 ms, event-loop p99 < 50 ms)',
      (r) =>
        r.capacity === undefined
          ? `< ${Math.min(...r.steps.map((step) => step.rate), r.bounds.minRate)}`
          : `${r.firstFailingRate === undefined ? '≥ ' : ''}${r.capacity.toFixed(1)}`,
    ],
    ['lowest failing rate, turns/s', (r) => formatNumber(r.firstFailingRate, 1)],
    ['steps run', (r) => String(r.steps.length)],
    [
      'at capacity: informative p99 (ms)',
      (r) => formatNumber(atCapacity(r)?.result.metrics.informativeLatencyMs.p99, 1),
    ],
    [
      'at capacity: event-loop delay p99 (ms)',
      (r) => formatNumber(atCapacity(r)?.result.resources.eventLoopDelayP99Ms, 1),
    ],
    [
      'at capacity: bot CPU per answered turn (ms)',
      (r) => formatNumber(atCapacity(r)?.result.cpu.botMsPerTurn, 2),
    ],
    [
      'at capacity: cores busy in the bot process(es), gross',
      (r) => formatNumber(atCapacity(r)?.result.cpu.coresBusy, 2),
    ],
  ];
  lines.push(
    table([
      ['capacity', ...results.map((result) => result.implementation)],
      ...rows.map(([label, value]) => [label, ...results.map(value)]),
    ]),
  );
  for (const result of results) {
    lines.push(`${result.implementation}: ${result.reason}`);
    for (const step of result.steps) {
      const r = step.result;
      lines.push(
        `  ${step.rate.toFixed(1)}/s (${step.conversations} conversations): ${step.pass ? 'PASS' : 'FAIL'}; informative p99 ${formatNumber(r.metrics.informativeLatencyMs.p99, 1)} ms, event-loop p99 ${formatNumber(r.resources.eventLoopDelayP99Ms, 1)} ms, bot CPU/turn ${formatNumber(r.cpu.botMsPerTurn, 2)} ms, load average before ${r.loadAverageBefore.toFixed(2)}${step.failures.length > 0 ? `; ${step.failures.join('; ')}` : ''}`,
      );
    }
  }
  return lines;
}

/** Writes the report as JSON to `<dir>/<timestamp>.json` and returns the file's path. */
export function writeReport(report: BenchReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
