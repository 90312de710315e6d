/**
 * Pure parsers of Linux's /proc files, for the figures of a bot that runs in other processes (the cluster
 * pass): CPU time from /proc/<pid>/stat and resident memory from /proc/<pid>/status (proc(5)).
 */

/** The fields of /proc/<pid>/stat the benchmark uses. */
export interface ProcStat {
  pid: number;
  /** The parent's pid (field 4). */
  ppid: number;
  /** User CPU time of the whole process (all its threads), in clock ticks (field 14). */
  utimeTicks: number;
  /** System CPU time, in clock ticks (field 15). */
  stimeTicks: number;
}

/**
 * Parses one /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself contain spaces
 * and parentheses, so the fields are counted from the last `)`.
 * @returns undefined when the text does not have the expected shape.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After the name: state (field 3), ppid (4), ..., utime (14), stime (15).
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ppid = Number(rest[1]);
  const utimeTicks = Number(rest[11]);
  const stimeTicks = Number(rest[12]);
  if (![pid, ppid, utimeTicks, stimeTicks].every(Number.isInteger)) return undefined;
  return { pid, ppid, utimeTicks, stimeTicks };
}

/** The resident set size in bytes from /proc/<pid>/status (`VmRSS:   12345 kB`); undefined without it. */
export function parseVmRssBytes(statusText: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB\s*$/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Clock ticks → microseconds, as `process.cpuUsage()` counts. */
export function ticksToMicros(ticks: number, ticksPerSecond: number): number {
  return (ticks * 1_000_000) / ticksPerSecond;
}

/**
 * `root` and every process below it, from the stats of all processes (a worker's own children count too).
 * The root comes first; the others in ascending pid order.
 */
export function processTreeOf(root: number, stats: readonly ProcStat[]): number[] {
  const children = new Map<number, number[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat.pid);
    children.set(stat.ppid, list);
  }
  const found: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (found.includes(pid)) continue;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [root, ...found.slice(1).sort((a, b) => a - b)];
}

/**
 * CPU (user, system; µs) the processes used between two readings. A process present in only one reading (a
 * worker that crashed or was restarted) adds what it used while both saw it: nothing.
 */
export function cpuBetween(
  before: ReadonlyMap<number, ProcStat>,
  after: ReadonlyMap<number, ProcStat>,
  ticksPerSecond: number,
): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const [pid, end] of after) {
    const start = before.get(pid);
    if (!start) continue;
    user += ticksToMicros(end.utimeTicks - start.utimeTicks, ticksPerSecond);
    system += ticksToMicros(end.stimeTicks - start.stimeTicks, ticksPerSecond);
  }
  return { user, system };
}
