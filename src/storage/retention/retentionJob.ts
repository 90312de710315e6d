import type { Logger } from '../../shared/logging';
import { type Clock, systemClock } from '../../shared/time';
import {
  retentionCutoff,
  type RetentionCounts,
  type RetentionStores,
  sweepExpiredData,
} from './retentionSweep';

/** How often the retention job runs after its first run at startup. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** What the retention job needs. */
export interface RetentionJobOptions {
  /** Data older than this many days is deleted (RETENTION_DAYS, at least 1). */
  days: number;
  stores: RetentionStores;
  logger: Logger;
  clock?: Clock;
  intervalMs?: number;
}

/** A running retention job. */
export interface RetentionJob {
  /** Runs a sweep now (after any sweep in progress) and reports its counts, or undefined when it failed. */
  runNow(): Promise<RetentionCounts | undefined>;
  /** Stops the schedule and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the scheduled retention job: one sweep right away, then one every `intervalMs` (an hour). Sweeps
 * never overlap; each logs what it deleted, and a failing sweep is logged and retried at the next tick.
 * The timer does not keep the process alive.
 */
export function startRetentionJob(options: RetentionJobOptions): RetentionJob {
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ job: 'retention' });
  let last: Promise<RetentionCounts | undefined> = Promise.resolve(undefined);
  let stopped = false;

  const sweep = async (): Promise<RetentionCounts | undefined> => {
    const cutoff = retentionCutoff(clock.now(), options.days);
    try {
      const counts = await sweepExpiredData(options.stores, cutoff);
      logger.info({ ...counts, cutoff: cutoff.toISOString(), days: options.days }, 'retention sweep done');
      return counts;
    } catch (error) {
      logger.error({ err: error, cutoff: cutoff.toISOString() }, 'retention sweep failed');
      return undefined;
    }
  };
  const runNow = (): Promise<RetentionCounts | undefined> => {
    last = last.then(() => (stopped ? undefined : sweep()));
    return last;
  };

  void runNow();
  const timer = setInterval(() => {
    void runNow();
  }, options.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();

  return {
    runNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await last;
    },
  };
}
