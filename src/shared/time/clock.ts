/** A time source for code that waits; tests pass sinon fake timers through the default one. */
export interface Clock {
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. It reads the global timers at call time so sinon fake timers installed later still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
