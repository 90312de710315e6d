import type { PassResult } from './passResult';

/** One target from the issue, checked against one pass. */
export interface TargetCheck {
  name: string;
  /** The measured value, undefined when nothing was measured (which fails the target). */
  value: number | undefined;
  /** 'below' passes when value < limit; 'equal' when value === limit. */
  comparison: 'below' | 'equal';
  limit: number;
  /** True only for PASS ('not measured' is not a pass). */
  pass: boolean;
  /**
   * PASS or FAIL; 'not measured' when this kind of pass cannot measure the figure at all (the cluster's
   * event loop when its workers' probe did not report), which is neither.
   */
  verdict: 'PASS' | 'FAIL' | 'not measured';
}

interface Target {
  name: string;
  comparison: 'below' | 'equal';
  limit: number;
  measure: (pass: PassResult) => number | undefined;
  /** False when the pass had no way to measure the figure (then the verdict is 'not measured'); default true. */
  measurable?: (pass: PassResult) => boolean;
}

/** The targets for this 2-core machine, from the issue. */
export const TARGETS: readonly Target[] = [
  {
    name: 'event-loop delay p99 < 50 ms (the issue sets it at 500 streams)',
    comparison: 'below',
    limit: 50,
    measure: (pass) => pass.resources.eventLoopDelayP99Ms,
    measurable: (pass) => pass.resources.eventLoopResolutionMs !== undefined,
  },
  {
    name: 'informative latency p99 < 300 ms',
    comparison: 'below',
    limit: 300,
    measure: (pass) => pass.metrics.informativeLatencyMs.p99,
  },
  {
    name: 'first-text delay above bound p99 < 100 ms',
    comparison: 'below',
    limit: 100,
    measure: (pass) => pass.metrics.firstTextDelayAboveBoundMs.p99,
  },
  {
    name: 'final delay p50 < 600 ms',
    comparison: 'below',
    limit: 600,
    measure: (pass) => pass.metrics.finalDelayMs.p50,
  },
  {
    name: 'final delay max < 1050 ms',
    comparison: 'below',
    limit: 1050,
    measure: (pass) => pass.metrics.finalDelayMs.max,
  },
  {
    name: 'rate-rule violations = 0',
    comparison: 'equal',
    limit: 0,
    measure: (pass) => pass.metrics.rate.gapsUnderOneSecond + pass.metrics.rate.burstsOverSevenPerSecond,
  },
  {
    name: 'text fidelity = 100 %',
    comparison: 'equal',
    limit: 100,
    measure: (pass) => pass.metrics.fidelityPercent,
  },
];

/**
 * Checks a pass against every target. A target whose figure was not measured fails, and so does every
 * latency target when some conversations never finished (their figures are missing, not good). A target this
 * kind of pass cannot measure at all is 'not measured', neither PASS nor FAIL.
 */
export function checkTargets(pass: PassResult): TargetCheck[] {
  return TARGETS.map((target) => {
    const common = { name: target.name, comparison: target.comparison, limit: target.limit };
    if (target.measurable && !target.measurable(pass)) {
      return { ...common, value: undefined, pass: false, verdict: 'not measured' };
    }
    const value = target.measure(pass);
    const met =
      value !== undefined && (target.comparison === 'below' ? value < target.limit : value === target.limit);
    const passed = met && pass.allFinalsArrived;
    return { ...common, value, pass: passed, verdict: passed ? 'PASS' : 'FAIL' };
  });
}
