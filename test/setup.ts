/**
 * Root hooks for the whole suite: any unhandled rejection or uncaught exception anywhere in the
 * process fails the run, so a background promise that breaks cannot hide behind a passing test.
 */
const problems: unknown[] = [];

function record(kind: string) {
  return (reason: unknown): void => {
    problems.push(reason);
    console.error(`[test/setup] ${kind}:`, reason);
  };
}

process.on('unhandledRejection', record('unhandled rejection'));
process.on('uncaughtException', record('uncaught exception'));

/** Registered by .mocharc.json (`require`): after each test, fails it if anything went unhandled meanwhile. */
export const mochaHooks = {
  afterEach(this: Mocha.Context): void {
    if (problems.length > 0) {
      const first = problems.splice(0, problems.length)[0];
      throw new Error(`an unhandled rejection or exception happened during this test: ${String(first)}`);
    }
  },
};
