import { systemClock, type Clock } from '../../src/shared/time';
import { DevRunnerError } from './devRunnerError';

/** Options of {@link waitForHttp}. */
export interface WaitForHttpOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Pause between attempts; default 200 ms. */
  intervalMs?: number;
  /** Whether an answer means "ready"; default: status 200. */
  isReady?: (status: number, body: string) => boolean;
  /** Stops waiting early (e.g. because the process being waited for exited). */
  signal?: AbortSignal;
  clock?: Clock;
  /** Each attempt's own time limit; default 2000 ms. */
  attemptTimeoutMs?: number;
}

/**
 * Polls `url` with GET until it answers as ready. Connection errors and other answers count as "not yet".
 * @throws DevRunnerError on timeout (naming the URL and the last answer or error) or when `signal` aborts.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<void> {
  const clock = options.clock ?? systemClock;
  const isReady = options.isReady ?? ((status: number) => status === 200);
  const deadline = clock.now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  for (;;) {
    if (options.signal?.aborted) {
      throw new DevRunnerError(`stopped waiting for ${url}`, { cause: options.signal.reason });
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 2000) });
      const body = await response.text();
      if (isReady(response.status, body)) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = describeFetchError(error);
    }
    if (clock.now() >= deadline) {
      throw new DevRunnerError(`${url} did not answer within ${options.timeoutMs} ms (last: ${lastProblem})`);
    }
    await clock.sleep(options.intervalMs ?? 200);
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    return cause?.code ?? error.message;
  }
  return String(error);
}
