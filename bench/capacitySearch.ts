/**
 * The capacity search's decisions, as pure functions: whether one step (a steady arrival rate held for a fixed
 * duration, on a fresh bot) met the limits, and which rate to try next. The search doubles the rate from
 * `startRate` while steps pass, halves it while they fail (down to `minRate`), then bisects between the
 * highest passing and the lowest failing rate until they are within `precision` of each other; it never
 * runs more than `maxSteps` steps, nor a rate outside [minRate, maxRate].
 */
import type { PassResult } from './passResult';

/** What a step must stay under to pass. */
export interface CapacityLimits {
  /** Informative-update latency p99 must be below this (ms). */
  informativeP99Ms: number;
  /** The bot's event-loop delay p99 must be below this (ms). */
  eventLoopP99Ms: number;
}

/** The limits from the issue. */
export const CAPACITY_LIMITS: CapacityLimits = { informativeP99Ms: 500, eventLoopP99Ms: 50 };

/** The search's bounds. */
export interface CapacityBounds {
  /** The first rate tried (turns per second). */
  startRate: number;
  /** The lowest rate tried; failing there ends the search with no capacity found. */
  minRate: number;
  /** The highest rate tried; passing there ends the search with this rate (a lower bound of the capacity). */
  maxRate: number;
  /** At most this many steps per streamer. */
  maxSteps: number;
  /** Bisection stops once lowest failing / highest passing ≤ this (1.1: within 10 %). */
  precision: number;
}

/** One step's rate and verdict. */
export interface CapacityStep {
  rate: number;
  pass: boolean;
}

/** Why a step failed; empty when it passed. */
export function capacityStepFailures(pass: PassResult, limits: CapacityLimits = CAPACITY_LIMITS): string[] {
  const reasons: string[] = [];
  const informative = pass.metrics.informativeLatencyMs.p99;
  const loop = pass.resources.eventLoopDelayP99Ms;
  if (!pass.allFinalsArrived) reasons.push('not every answer arrived by the deadline');
  if (pass.metrics.completed < pass.metrics.conversations) reasons.push('some answers never completed');
  if (informative === undefined) reasons.push('no informative latency was measured');
  else if (!(informative < limits.informativeP99Ms)) {
    reasons.push(`informative p99 ${informative.toFixed(1)} ms ≥ ${limits.informativeP99Ms} ms`);
  }
  // The cluster pass reads its workers' loops through an opt-in probe; a step it did not report on fails.
  if (loop === undefined) reasons.push('the event-loop delay was not measured');
  else if (!(loop < limits.eventLoopP99Ms)) {
    reasons.push(`event-loop delay p99 ${loop.toFixed(1)} ms ≥ ${limits.eventLoopP99Ms} ms`);
  }
  return reasons;
}

/** The next step, or the search's result. */
export type CapacityDecision =
  | { done: false; rate: number }
  | {
      done: true;
      /** The highest rate that passed; undefined when none did. */
      capacity: number | undefined;
      /** The lowest rate above it that failed; undefined when none did (the capacity is then a lower bound). */
      firstFailingRate: number | undefined;
      reason: string;
    };

/** Rates are tried in steps of 0.1 turn/s. */
export function roundRate(rate: number): number {
  return Math.round(rate * 10) / 10;
}

/**
 * Decides the next rate from the steps so far. Steps are assumed to pass below the capacity and fail above
 * it; when a noisy run contradicts that (a failure below a pass), the failure below is ignored, so the
 * search keeps the highest passing rate found.
 */
export function nextCapacityStep(bounds: CapacityBounds, steps: readonly CapacityStep[]): CapacityDecision {
  const passing = steps.filter((step) => step.pass).map((step) => step.rate);
  const highestPass = passing.length > 0 ? Math.max(...passing) : undefined;
  const failingAbove = steps
    .filter((step) => !step.pass && (highestPass === undefined || step.rate > highestPass))
    .map((step) => step.rate);
  const lowestFail = failingAbove.length > 0 ? Math.min(...failingAbove) : undefined;
  const done = (reason: string): CapacityDecision => ({
    done: true,
    capacity: highestPass,
    firstFailingRate: lowestFail,
    reason,
  });
  const tried = new Set(steps.map((step) => step.rate));

  let next: number;
  if (highestPass === undefined && lowestFail === undefined) {
    next = bounds.startRate;
  } else if (lowestFail === undefined) {
    if (highestPass !== undefined && highestPass >= bounds.maxRate) {
      return done(`passed at the upper bound (${bounds.maxRate}/s); the capacity is at least that`);
    }
    next = Math.min(2 * (highestPass ?? bounds.startRate), bounds.maxRate);
  } else if (highestPass === undefined) {
    if (lowestFail <= bounds.minRate) return done(`failed at the lower bound (${bounds.minRate}/s)`);
    next = Math.max(lowestFail / 2, bounds.minRate);
  } else {
    if (lowestFail / highestPass <= bounds.precision) {
      return done(`bracketed within ${Math.round((bounds.precision - 1) * 100)} %`);
    }
    next = (highestPass + lowestFail) / 2;
  }
  next = roundRate(next);
  // Rounding can land on a rate already tried when the bracket is narrower than the rounding step.
  if (tried.has(next)) return done('bracketed as closely as the 0.1/s rate steps allow');
  if (steps.length >= bounds.maxSteps) return done(`stopped after ${bounds.maxSteps} steps`);
  return { done: false, rate: next };
}
