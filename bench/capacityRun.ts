/**
 * `--capacity`: per streamer, the highest steady arrival rate (turns per second) at which the informative
 * latency p99 stays under 500 ms and the bot's event-loop delay p99 under 50 ms. Each step is an ordinary
 * pass (fresh helpers, fresh bot, warm-up) whose messages arrive evenly over `--capacity-duration-ms`
 * (rate × duration conversations, the `--ramp-ms` mechanism); capacitySearch.ts decides the next rate.
 */
import { runPass, type PassContext } from './benchmarkPass';
import {
  CAPACITY_LIMITS,
  capacityStepFailures,
  nextCapacityStep,
  type CapacityBounds,
  type CapacityLimits,
} from './capacitySearch';
import {
  capacityStepParameters,
  finalsDeadlineMs,
  type BenchParameters,
  type PassImplementation,
} from './parameters';
import type { PassResult } from './passResult';
import { sleep } from './time';

/** One step of the search: its rate, verdict and the pass's figures (without the per-conversation list). */
export interface CapacityStepResult {
  rate: number;
  conversations: number;
  pass: boolean;
  /** Why it failed; empty when it passed. */
  failures: string[];
  /** The pass's figures; its per-conversation list is left empty to keep the JSON small. */
  result: PassResult;
}

/** The search for one streamer. */
export interface CapacityResult {
  implementation: PassImplementation;
  bounds: CapacityBounds;
  limits: CapacityLimits;
  durationMs: number;
  /** The highest rate that passed (turns/s); undefined when none did. */
  capacity: number | undefined;
  /** The lowest rate above it that failed; undefined when none did (then the capacity is a lower bound). */
  firstFailingRate: number | undefined;
  /** Why the search stopped. */
  reason: string;
  steps: CapacityStepResult[];
}

/** Between steps, after a GC: as between the fixed-load passes. */
const PAUSE_BETWEEN_STEPS_MS = 3000;
/** Per step beyond waiting for the answers: startup, warm-up, settling, collection, shutdown. */
const STEP_OVERHEAD_MS = 90_000;

/** The search's bounds from the parameters. */
export function capacityBounds(parameters: BenchParameters): CapacityBounds {
  return {
    startRate: parameters.capacityStartRate,
    minRate: parameters.capacityMinRate,
    maxRate: parameters.capacityMaxRate,
    maxSteps: parameters.capacitySteps,
    precision: parameters.capacityPrecision,
  };
}

/** The longest one streamer's search may take: every step at the highest rate's deadline. */
export function capacityBudgetMs(parameters: BenchParameters): number {
  const longestStep = finalsDeadlineMs(capacityStepParameters(parameters, parameters.capacityMaxRate));
  return parameters.capacitySteps * (longestStep + STEP_OVERHEAD_MS + PAUSE_BETWEEN_STEPS_MS);
}

/** A line that states the search's bounds, printed before it starts and kept in the report. */
export function describeCapacityBounds(parameters: BenchParameters): string {
  const bounds = capacityBounds(parameters);
  return (
    `Capacity search: steady arrivals for ${parameters.capacityDurationMs} ms per step, from ${bounds.startRate}/s ` +
    `(doubling while steps pass, halving while they fail, then bisecting), rates within ${bounds.minRate}..${bounds.maxRate}/s, ` +
    `at most ${bounds.maxSteps} steps per streamer, stop when within ${Math.round((bounds.precision - 1) * 100)} %; ` +
    `a step passes when every answer arrives, informative p99 < ${CAPACITY_LIMITS.informativeP99Ms} ms and ` +
    `event-loop delay p99 < ${CAPACITY_LIMITS.eventLoopP99Ms} ms`
  );
}

/** Runs the search for one streamer. */
export async function searchCapacity(
  implementation: PassImplementation,
  parameters: BenchParameters,
  context: PassContext,
): Promise<CapacityResult> {
  const bounds = capacityBounds(parameters);
  const steps: CapacityStepResult[] = [];
  for (;;) {
    const decision = nextCapacityStep(bounds, steps);
    if (decision.done) {
      return {
        implementation,
        bounds,
        limits: CAPACITY_LIMITS,
        durationMs: parameters.capacityDurationMs,
        capacity: decision.capacity,
        firstFailingRate: decision.firstFailingRate,
        reason: decision.reason,
        steps,
      };
    }
    if (steps.length > 0) {
      if (typeof global.gc === 'function') global.gc();
      await sleep(PAUSE_BETWEEN_STEPS_MS);
    }
    const stepParameters = capacityStepParameters(parameters, decision.rate);
    const label = `${implementation} at ${decision.rate}/s (step ${steps.length + 1})`;
    context.progress(`${label}: starting`);
    const pass = await runPass(implementation, stepParameters, {
      ...context,
      progress: (line) => context.progress(`${label}: ${line}`),
    });
    const failures = capacityStepFailures(pass);
    steps.push({
      rate: decision.rate,
      conversations: stepParameters.conversations,
      pass: failures.length === 0,
      failures,
      result: { ...pass, conversations: [] },
    });
  }
}
