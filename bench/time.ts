import { performance } from 'node:perf_hooks';

/** A millisecond time source; the benchmark's modules take one so tests and other processes can supply theirs. */
export type Now = () => number;

/**
 * Wall-clock milliseconds with sub-millisecond resolution (the process's time origin plus the monotonic
 * clock), so a gap of 999.6 ms is not rounded to 1000.
 */
export const preciseNow: Now = () => performance.timeOrigin + performance.now();

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
