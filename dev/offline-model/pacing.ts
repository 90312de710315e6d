/** When units of a reply (tokens, or tool-call pieces) become due, given the model's pace. */
export interface Pace {
  /** Delay before the first unit. */
  timeToFirstTokenMs: number;
  /** Units per second after the first; Infinity sends everything at the first unit's time. */
  tokensPerSecond: number;
}

/** Milliseconds after the start at which unit number `unit` (1-based) is due. */
export function dueTimeMs(unit: number, pace: Pace): number {
  if (unit <= 1 || !Number.isFinite(pace.tokensPerSecond)) return pace.timeToFirstTokenMs;
  return pace.timeToFirstTokenMs + ((unit - 1) * 1000) / pace.tokensPerSecond;
}

/** How many of `total` units are due `elapsedMs` after the start. */
export function unitsDue(elapsedMs: number, total: number, pace: Pace): number {
  if (elapsedMs < pace.timeToFirstTokenMs) return 0;
  if (!Number.isFinite(pace.tokensPerSecond)) return total;
  // The small epsilon keeps a unit due exactly on time from being lost to floating-point rounding.
  const afterFirst = Math.floor(((elapsedMs - pace.timeToFirstTokenMs) * pace.tokensPerSecond) / 1000 + 1e-9);
  return Math.min(total, 1 + afterFirst);
}
