import { AssertionError } from 'node:assert';
import { performance } from 'node:perf_hooks';

// Taken when the suite loads, before any test installs sinon fake timers: polling keeps real time, so these
// helpers also work in a test that fakes the global timers (it drives its fake clock, they wait for the effect).
const realSetTimeout = setTimeout;
const realSetImmediate = setImmediate;
const realNow = performance.now.bind(performance);

/** Waits `ms` of real time; 0 means one turn of the event loop (setImmediate). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) realSetImmediate(resolve);
    else realSetTimeout(resolve, ms);
  });
}

/**
 * Polls `condition` every 10 ms until it holds or `timeoutMs` passes; returns whether it held (the caller
 * asserts, with its own message). Real time, even under sinon fake timers.
 */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = realNow() + timeoutMs;
  while (!condition()) {
    if (realNow() > deadline) return false;
    await pause(10);
  }
  return true;
}

/** Options of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Fail after this long (real time); default 2000 ms. */
  timeoutMs?: number;
  /** Real time between two checks; default 10 ms, 0 for every turn of the event loop. */
  intervalMs?: number;
  /** What the failure message adds after the condition, e.g. the last state seen. */
  detail?: () => string;
}

/**
 * Polls `condition` (which may be async) until it holds, and fails with an AssertionError
 * "timed out after <n> ms waiting for: <what>" (and the `detail`) when it has not after `timeoutMs`.
 * Real time, even under sinon fake timers.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: WaitUntilOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const deadline = realNow() + timeoutMs;
  while (!(await condition())) {
    if (realNow() > deadline) {
      const detail = options.detail ? `; ${options.detail()}` : '';
      throw new AssertionError({ message: `timed out after ${timeoutMs} ms waiting for: ${what}${detail}` });
    }
    await pause(options.intervalMs ?? 10);
  }
}
