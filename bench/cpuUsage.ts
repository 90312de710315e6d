/**
 * CPU time of the bot's process (this process) per answered turn. The bot runs in the benchmark's own
 * process, so `process.cpuUsage()` over the measured load window counts the bot's work (all its threads:
 * the main thread, GC helpers, libuv's pool) plus what the benchmark itself does here in that window: the
 * load generator (building and sending the inbound POSTs, reading their responses) and a little
 * bookkeeping (RSS sampling, the progress line, one IPC notice per answer). The helper processes (model,
 * connector) are other processes and never count. The load generator's share is measured separately, by
 * sending the same number of POSTs from this process to a server in a helper process that answers at once
 * (see `measureLoadGeneratorCpu` in benchmarkPass), and subtracted.
 */

/** User and system CPU time in microseconds, as `process.cpuUsage()` reports it. */
export interface CpuTime {
  user: number;
  system: number;
}

/** The CPU figures of one pass. */
export interface CpuPerTurn {
  /**
   * Where the figures come from: `process.cpuUsage()` of this process (the in-process passes and the floor),
   * or /proc of the bot's own processes (the cluster pass: primary and workers; the load generator is not in
   * them, so nothing is subtracted). Absent in results written before the cluster pass existed.
   */
  source?: 'this process' | 'bot processes';
  /** The bot's user CPU over the load window (µs). */
  userMicros: number;
  /** The bot's system CPU over the load window (µs). */
  systemMicros: number;
  /** The load window: first POST sent → last final message arrived (or the deadline). */
  windowMs: number;
  /** CPU (user + system, µs) the load generator alone used for the same number of POSTs; undefined if not measured. */
  loadGeneratorMicros?: number;
  /** Turns whose final message arrived by the end of the window. */
  answeredTurns: number;
  /** (user + system) / answered turns, in ms: everything this process did in the window. */
  grossMsPerTurn?: number;
  /** The load generator's share per answered turn, in ms. */
  loadGeneratorMsPerTurn?: number;
  /** gross − the load generator's share, in ms: the bot's own CPU per answered turn (the reported figure). */
  botMsPerTurn?: number;
  /** (user + system) / window: cores the bot's process(es) kept busy on average (1 = one core all the time). */
  coresBusy?: number;
}

/** `after − before`, field by field. */
export function cpuDelta(before: CpuTime, after: CpuTime): CpuTime {
  return { user: after.user - before.user, system: after.system - before.system };
}

/**
 * The per-turn arithmetic. With no answered turn the per-turn figures are undefined (not 0, not infinite);
 * the bot's share is never below 0 (a noisy load-generator measurement could exceed a tiny gross figure).
 */
export function cpuPerTurn(
  window: CpuTime,
  windowMs: number,
  answeredTurns: number,
  loadGeneratorMicros: number | undefined,
): CpuPerTurn {
  const totalMicros = window.user + window.system;
  const figures: CpuPerTurn = {
    source: 'this process',
    userMicros: window.user,
    systemMicros: window.system,
    windowMs,
    answeredTurns,
    ...(loadGeneratorMicros !== undefined ? { loadGeneratorMicros } : {}),
  };
  if (windowMs > 0) figures.coresBusy = totalMicros / 1000 / windowMs;
  if (answeredTurns <= 0) return figures;
  figures.grossMsPerTurn = totalMicros / 1000 / answeredTurns;
  if (loadGeneratorMicros !== undefined) {
    figures.loadGeneratorMsPerTurn = loadGeneratorMicros / 1000 / answeredTurns;
    figures.botMsPerTurn = Math.max(0, figures.grossMsPerTurn - figures.loadGeneratorMsPerTurn);
  }
  return figures;
}

/**
 * The per-turn arithmetic for a bot in processes of its own (the cluster pass): their CPU holds no load
 * generator, so the bot's figure is the gross one and there is no share to subtract.
 */
export function botProcessesCpuPerTurn(window: CpuTime, windowMs: number, answeredTurns: number): CpuPerTurn {
  const totalMicros = window.user + window.system;
  const figures: CpuPerTurn = {
    source: 'bot processes',
    userMicros: window.user,
    systemMicros: window.system,
    windowMs,
    answeredTurns,
  };
  if (windowMs > 0) figures.coresBusy = totalMicros / 1000 / windowMs;
  if (answeredTurns <= 0) return figures;
  figures.grossMsPerTurn = totalMicros / 1000 / answeredTurns;
  figures.botMsPerTurn = figures.grossMsPerTurn;
  return figures;
}
