import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../shared/logging';
import { systemClock, type Clock } from '../shared/time';

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** How many worker processes share the port (BOT_PROCESSES). */
  processes: number;
  logger: Logger;
  /** Time source of the restart backoff and the stop deadline; default the system clock. */
  clock?: Clock;
  /**
   * How long the primary waits for its workers to exit after a stop signal before it kills them; default
   * 30 s (each worker drains its own turns for up to 10 s, then closes the database).
   */
  stopTimeoutMs?: number;
}

/** The primary of a running cluster. */
export interface RunningCluster {
  /** Resolves with the process exit code: 0 when every worker stopped cleanly, 1 otherwise or when the start failed. */
  readonly done: Promise<number>;
  /** Forwards `signal` to every worker (each drains its turns), restarts nothing more, and waits for them. */
  stop(signal: NodeJS.Signals): void;
}

/** First restart delay of a crashed worker; it doubles with each crash in a row, up to the maximum. */
export const RESTART_BASE_DELAY_MS = 1000;
export const RESTART_MAX_DELAY_MS = 30_000;
/** A worker that ran this long before it crashed starts its backoff over. */
export const RESTART_RESET_AFTER_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/**
 * The message a worker sends the primary once the bot listens (see {@link reportWorkerReady}). The cluster's
 * own 'listening' event does not do: it also fires for the other servers a worker starts (the offline model).
 */
interface WorkerReady {
  botWorkerReady: { port: number };
}

function isWorkerReady(message: unknown): message is WorkerReady {
  return typeof message === 'object' && message !== null && 'botWorkerReady' in message;
}

/** In a cluster worker, tells the primary that the bot listens on `port`; elsewhere does nothing. */
export function reportWorkerReady(port: number): void {
  if (!cluster.isWorker) return;
  const message: WorkerReady = { botWorkerReady: { port } };
  process.send?.(message);
}

/**
 * How long to wait before restarting a worker that crashed after running `ranMs`, given the crashes in a row
 * before it: 1 s, doubling with each crash in a row up to 30 s; a worker that ran a minute starts over.
 */
export function restartBackoff(previousCrashes: number, ranMs: number): { crashes: number; delayMs: number } {
  const crashes = ranMs >= RESTART_RESET_AFTER_MS ? 1 : previousCrashes + 1;
  return { crashes, delayMs: Math.min(RESTART_MAX_DELAY_MS, RESTART_BASE_DELAY_MS * 2 ** (crashes - 1)) };
}

interface Slot {
  index: number;
  worker?: Worker;
  startedAt: number;
  /** Crashes in a row (of workers that ran less than RESTART_RESET_AFTER_MS). */
  crashes: number;
}

/**
 * Starts the cluster primary (node:cluster): it forks `processes` workers running this same entry point,
 * which share the listening port (the primary hands connections round-robin). The first worker starts alone
 * (it migrates the database and indexes the knowledge folder); the others start once it is ready, so they
 * find both done. A worker that exits before it is ready (reportWorkerReady) during the start fails the start (a configuration or
 * database problem would fail every worker alike). Afterwards a crashed worker is restarted with backoff
 * (1 s, doubling up to 30 s; reset after a minute of uptime). `stop` forwards the signal to every worker,
 * each drains its own turns, and `done` resolves when all have exited.
 */
export function startCluster(options: ClusterOptions): RunningCluster {
  const { processes, logger } = options;
  const clock = options.clock ?? systemClock;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const slots: Slot[] = Array.from({ length: processes }, (_, index) => ({
    index,
    startedAt: 0,
    crashes: 0,
  }));
  const stopping = new AbortController();
  let starting = true;
  let failed = false;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const live = (): Worker[] => slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
  const finishWhenAllExited = (): void => {
    if (stopping.signal.aborted && live().length === 0) finish(failed ? 1 : 0);
  };

  function fork(slot: Slot): Promise<boolean> {
    const worker = cluster.fork({ BOT_WORKER_INDEX: String(slot.index + 1) });
    slot.worker = worker;
    slot.startedAt = clock.now();
    return new Promise<boolean>((resolve) => {
      const onMessage = (message: unknown): void => {
        if (!isWorkerReady(message)) return;
        worker.off('message', onMessage);
        const { port } = message.botWorkerReady;
        logger.info({ worker: slot.index + 1, workerPid: worker.process.pid, port }, 'bot worker ready');
        resolve(true);
      };
      worker.on('message', onMessage);
      worker.once('exit', (code, signal) => {
        resolve(false);
        slot.worker = undefined;
        onExit(slot, code, signal);
      });
    });
  }

  function onExit(slot: Slot, code: number | null, signal: string | null): void {
    const details = { worker: slot.index + 1, code, signal };
    if (stopping.signal.aborted) {
      if (code !== 0) {
        failed = true;
        logger.error(details, 'a bot worker did not stop cleanly');
      } else {
        logger.info(details, 'bot worker stopped');
      }
      finishWhenAllExited();
      return;
    }
    if (starting) {
      failed = true;
      logger.fatal(details, 'a bot worker exited while starting; stopping the cluster');
      stop('SIGTERM');
      return;
    }
    const backoff = restartBackoff(slot.crashes, clock.now() - slot.startedAt);
    slot.crashes = backoff.crashes;
    const { delayMs } = backoff;
    logger.error({ ...details, restartInMs: delayMs }, 'a bot worker exited unexpectedly; restarting it');
    void clock.sleep(delayMs, stopping.signal).then(() => {
      if (!stopping.signal.aborted) void fork(slot);
    });
  }

  function stop(signal: NodeJS.Signals): void {
    if (stopping.signal.aborted) return;
    stopping.abort();
    const workers = live();
    logger.info({ signal, workers: workers.length }, 'stopping the bot workers');
    for (const worker of workers) worker.process.kill(signal);
    finishWhenAllExited();
    void clock.sleep(stopTimeoutMs).then(() => {
      const left = live();
      if (left.length === 0) return;
      failed = true;
      logger.error({ workers: left.length, stopTimeoutMs }, 'bot workers did not stop in time; killing them');
      for (const worker of left) worker.process.kill('SIGKILL');
    });
  }

  void (async () => {
    const [first, ...others] = slots;
    if (!first || !(await fork(first))) return;
    const started = await Promise.all(others.map((slot) => fork(slot)));
    if (started.every(Boolean) && !stopping.signal.aborted) {
      starting = false;
      logger.info({ workers: processes }, `bot cluster started: ${processes} processes share the port`);
    }
  })();

  return { done, stop };
}
