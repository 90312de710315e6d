/**
 * Reads CPU time and resident memory of a process and everything below it from /proc (Linux only): the
 * figures of the cluster pass, whose bot runs in other processes. The parsing is in procStat.ts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { BenchmarkError } from './benchmarkError';
import { parseProcStat, parseVmRssBytes, processTreeOf, type ProcStat } from './procStat';

/** The kernel's clock ticks per second (`getconf CLK_TCK`); 100 when getconf is not there (the usual value). */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** /proc/<pid>/stat of one process, undefined when it is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** VmRSS of one process in bytes; 0 when it is gone. */
export function readRssBytes(pid: number): number {
  try {
    return parseVmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? 0;
  } catch {
    return 0;
  }
}

/**
 * `root` and all its descendants, found by scanning /proc for their parent pids.
 * @throws BenchmarkError when /proc cannot be read (not Linux).
 */
export function listProcessTree(root: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch (error) {
    throw new BenchmarkError('the cluster pass reads /proc (Linux only), which cannot be read here', {
      cause: error,
    });
  }
  const stats = entries
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  return processTreeOf(root, stats);
}

/** The stat of each listed process that still exists, by pid. */
export function readProcStats(pids: readonly number[]): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (stat) stats.set(pid, stat);
  }
  return stats;
}
