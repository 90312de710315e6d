/**
 * The one time source of the project: code that reads the time or waits takes a Clock, so tests can pin time
 * down (sinon fake timers through `systemClock`, or a clock of their own).
 */
export interface Clock {
  /** The current time in ms since the epoch; `new Date(clock.now())` for a timestamp. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds, or early (without rejecting) once `signal` aborts; callers that need to
   * know check `signal.aborted`.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. It reads the global timers at call time so sinon fake timers installed later still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
