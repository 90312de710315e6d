/**
 * Event-loop delay of the cluster's workers, which the benchmark cannot read from outside: the opt-in probe
 * (loopDelayProbe.ts, preloaded into the bot's processes only by the cluster pass) writes one report per
 * worker, and the pass shows the worst worker's figures. This module holds the report's shape and the pure
 * functions around it.
 */

/** What the probe in one process wrote at the end of the load window (ms, the resolution subtracted). */
export interface WorkerLoopDelay {
  pid: number;
  resolutionMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The raw p99 of the interval between the histogram timer's runs (as the in-process monitor keeps it). */
  intervalP99Ms: number;
}

/** The environment variable that switches the probe on: the folder its reports go to. */
export const LOOP_DELAY_DIR_ENV = 'BENCH_LOOP_DELAY_DIR';

/** The probe's file names in that folder: written when it started measuring, and its report at the end. */
export function probeFileName(pid: number, kind: 'started' | 'report'): string {
  return kind === 'started' ? `${pid}.started` : `${pid}.json`;
}

/** Reads one report file's text; undefined when it is not a complete report. */
export function parseWorkerLoopDelay(text: string): WorkerLoopDelay | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const keys = ['pid', 'resolutionMs', 'p50Ms', 'p99Ms', 'maxMs', 'intervalP99Ms'] as const;
  if (!keys.every((key) => typeof record[key] === 'number' && Number.isFinite(record[key]))) return undefined;
  return {
    pid: record.pid as number,
    resolutionMs: record.resolutionMs as number,
    p50Ms: record.p50Ms as number,
    p99Ms: record.p99Ms as number,
    maxMs: record.maxMs as number,
    intervalP99Ms: record.intervalP99Ms as number,
  };
}

/**
 * The figures the table shows for a cluster: each the worst (highest) over the workers, since a turn waits
 * behind the loop of the worker it landed on. Undefined when no worker reported.
 */
export function worstWorkerLoopDelay(
  reports: readonly WorkerLoopDelay[],
): { resolutionMs: number; p50Ms: number; p99Ms: number; maxMs: number; intervalP99Ms: number } | undefined {
  if (reports.length === 0) return undefined;
  const worst = (pick: (report: WorkerLoopDelay) => number): number => Math.max(...reports.map(pick));
  return {
    resolutionMs: worst((report) => report.resolutionMs),
    p50Ms: worst((report) => report.p50Ms),
    p99Ms: worst((report) => report.p99Ms),
    maxMs: worst((report) => report.maxMs),
    intervalP99Ms: worst((report) => report.intervalP99Ms),
  };
}
