/**
 * `npm run bench`: the streaming latency benchmark. Runs the real bot in this process (or, for the
 * `teams-streamer-cluster` pass, as the production cluster in child processes) against a local model and a
 * timestamping Bot Connector (in helper processes), once per pass on a fresh bot, and prints and saves the
 * figures. Exit code 0 when the run completed (the table says PASS/FAIL per target), 1 when it
 * could not run, 130 when interrupted.
 */
import path from 'node:path';
import { AppError } from '../src/shared/errors';
import { runPass } from './benchmarkPass';
import { capacityBudgetMs, describeCapacityBounds, searchCapacity, type CapacityResult } from './capacityRun';
import { runFloorPass, type FloorResult } from './floorPass';
import { Cleanups } from './cleanups';
import { finalsDeadlineMs, parseParameters, USAGE, wantsHelp, type BenchParameters } from './parameters';
import type { PassResult } from './passResult';
import { createProgress } from './progress';
import { buildReport, formatReport, writeReport } from './report';
import { preciseNow, sleep } from './time';

/** The repository root, from build/bench (compiled) or bench (sources). */
const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}build${path.sep}`) ? '../..' : '..');
/** Between passes, after a GC: lets the first bot's sockets and timers wind down. */
const PAUSE_BETWEEN_PASSES_MS = 3000;
/** Per pass beyond waiting for the answers: startup, settling, POST responses, collection, shutdown. */
const PASS_OVERHEAD_MS = 90_000;

/** The longest the whole run may take before it stops itself. */
function runBudgetMs(parameters: BenchParameters): number {
  const passes = parameters.implementations.length;
  if (parameters.capacity) return passes * (capacityBudgetMs(parameters) + PAUSE_BETWEEN_PASSES_MS);
  const floor = parameters.floor ? FLOOR_BUDGET_MS + parameters.rampMs + PAUSE_BETWEEN_PASSES_MS : 0;
  return (
    passes * (finalsDeadlineMs(parameters) + PASS_OVERHEAD_MS) + passes * PAUSE_BETWEEN_PASSES_MS + floor
  );
}

/** The floor pass: no model, so its own deadline (30 s) plus startup, POST responses and shutdown. */
const FLOOR_BUDGET_MS = 90_000;

async function run(parameters: BenchParameters, cleanups: Cleanups, rejections: () => number): Promise<void> {
  const startedAt = new Date();
  const progress = createProgress(process.stderr, preciseNow);
  const context = {
    repoRoot: REPO_ROOT,
    now: preciseNow,
    cleanups,
    unhandledRejections: rejections,
    progress: (line: string) => progress.update(line),
  };
  const passes: PassResult[] = [];
  const capacity: CapacityResult[] = [];
  const capacityBounds = parameters.capacity ? describeCapacityBounds(parameters) : undefined;
  if (capacityBounds) console.error(capacityBounds);
  for (const implementation of parameters.implementations) {
    if (passes.length > 0 || capacity.length > 0) {
      if (typeof global.gc === 'function') global.gc();
      await sleep(PAUSE_BETWEEN_PASSES_MS);
    }
    progress.update(`${implementation}: starting`);
    if (parameters.capacity) capacity.push(await searchCapacity(implementation, parameters, context));
    else passes.push(await runPass(implementation, parameters, context));
    progress.done();
  }
  let floor: FloorResult | undefined;
  if (parameters.floor && !parameters.capacity) {
    if (typeof global.gc === 'function') global.gc();
    await sleep(PAUSE_BETWEEN_PASSES_MS);
    progress.update('floor: starting');
    floor = await runFloorPass(parameters, context);
    progress.done();
  }
  const report = buildReport(parameters, passes, startedAt, new Date(), {
    ...(floor ? { floor } : {}),
    ...(parameters.capacity ? { capacity, ...(capacityBounds ? { capacityBounds } : {}) } : {}),
  });
  console.log(formatReport(report));
  console.log(`\nJSON: ${writeReport(report, parameters.resultsDir)}`);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return 0;
  }
  const parameters = parseParameters(argv, process.env, path.join(REPO_ROOT, 'bench', 'results'));
  parameters.resultsDir = path.resolve(parameters.resultsDir);
  if (typeof global.gc !== 'function') {
    console.error('note: run node with --expose-gc for a GC before each pass (steadier RSS baselines)');
  }
  const cleanups = new Cleanups();
  let rejections = 0;
  // teams-ai's StreamingResponse turns a failed send into an unhandled rejection; count it, show the first few.
  process.on('unhandledRejection', (reason) => {
    rejections += 1;
    if (rejections <= 3) console.error('unhandled rejection in the bot process:', reason);
  });
  const stopAndExit = (code: number, why: string): void => {
    console.error(`\n${why}; stopping everything the benchmark started`);
    void cleanups.runAll().finally(() => process.exit(code));
  };
  process.once('uncaughtException', (error) => {
    console.error('uncaught exception in the bot process:', error);
    stopAndExit(1, 'the run cannot go on');
  });
  process.once('SIGINT', () => stopAndExit(130, 'interrupted'));
  process.once('SIGTERM', () => stopAndExit(143, 'terminated'));
  const budget = runBudgetMs(parameters);
  const watchdog = setTimeout(
    () => stopAndExit(1, `the run took longer than ${Math.round(budget / 1000)} s`),
    budget,
  );
  try {
    await run(parameters, cleanups, () => rejections);
    return 0;
  } finally {
    clearTimeout(watchdog);
    await cleanups.runAll();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof AppError ? `benchmark failed: ${error.message}` : error);
    if (error instanceof Error && error.cause !== undefined) console.error('cause:', error.cause);
    process.exitCode = 1;
  },
);
