/** The time source of the dev tools; tests pass sinon fake timers through the default one. */
export interface DevClock {
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. It reads the global timers at call time, so sinon fake timers installed later still apply. */
export const systemDevClock: DevClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
