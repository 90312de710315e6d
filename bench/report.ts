import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratio } from './metrics';
import { finalsDeadlineMs, type BenchParameters, type StreamImplementation } from './parameters';
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
  values: Partial<Record<StreamImplementation, number>>;
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
  targets: Partial<Record<StreamImplementation, TargetCheck[]>>;
  passes: PassResult[];
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
  { label: 'cores busy in the bot process, gross', digits: 2, value: (p) => p.cpu.coresBusy },
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

/** Builds the report from the passes. */
export function buildReport(
  parameters: BenchParameters,
  passes: PassResult[],
  startedAt: Date,
  finishedAt: Date,
): BenchReport {
  const byImplementation = new Map(passes.map((pass) => [pass.implementation, pass]));
  const figures = FIGURES.map((figure): FigureRow => {
    const values: Partial<Record<StreamImplementation, number>> = {};
    for (const pass of passes) {
      const value = figure.value(pass);
      if (value !== undefined) values[pass.implementation] = value;
    }
    const library = byImplementation.get('library');
    const teams = byImplementation.get('teams-streamer');
    const quotient = library && teams ? ratio(figure.value(library), figure.value(teams)) : undefined;
    return { figure: figure.label, values, ...(quotient !== undefined ? { ratio: quotient } : {}) };
  });
  const targets: Partial<Record<StreamImplementation, TargetCheck[]>> = {};
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
  lines.push(
    `Parameters: ${parameters.conversations} concurrent 1:1 conversations, time to first token ${parameters.timeToFirstTokenMs} ms, ${parameters.tokensPerSecond} tokens/s, ${parameters.answerTokens}-token answers, tool share ${parameters.toolShare} (${report.toolConversations} conversations with a search_knowledge round), ${parameters.warmupConversations} unmeasured warm-up conversations per fresh bot, ${parameters.rampMs > 0 ? `messages spread over ${parameters.rampMs} ms` : 'all messages sent at once'}`,
  );
  for (const pass of report.passes) {
    const stats = pass.modelStats;
    lines.push(
      `${pass.implementation}: model responses (warm-up included) ${stats.completed} completed, ${stats.aborted} aborted, ${stats.open} open; TCP connections from the bot: ${pass.connections.model} to the model, ${pass.connections.connector} to the connector for ${pass.sendsReceived} sends; tool rounds ${pass.toolRounds}; load average before ${pass.loadAverageBefore.toFixed(2)}; helper clock offsets ${pass.clockOffsetsMs.model.toFixed(2)} ms (model), ${pass.clockOffsetsMs.connector.toFixed(2)} ms (connector)${pass.allFinalsArrived ? '' : `; NOT ALL ANSWERS ARRIVED BY THE DEADLINE (${Math.round(finalsDeadlineMs(parameters) / 1000)} s)`}`,
    );
    for (const example of pass.postFailureExamples) lines.push(`  failed POST: ${example}`);
  }
  lines.push('');
  const header = ['figure', ...implementations, ...(bothRan ? ['library / teams-streamer'] : [])];
  const rows = report.figures.map((row, index) => {
    const digits = FIGURES[index].digits;
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
      return check ? `${check.pass ? 'PASS' : 'FAIL'} (${formatNumber(check.value, 1)})` : 'n/a';
    }),
  ]);
  lines.push(table([['target', ...implementations], ...targetRows]));
  return lines.join('\n');
}

/** Writes the report as JSON to `<dir>/<timestamp>.json` and returns the file's path. */
export function writeReport(report: BenchReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
