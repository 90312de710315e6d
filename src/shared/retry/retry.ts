import { AppError } from '../errors';
import { type BackoffPolicy, type Clock, fullJitterDelay, systemClock } from '../time';

/** How often and how long an operation is retried. */
export interface RetryPolicy extends BackoffPolicy {
  /** Retries after the first attempt; the operation runs at most `1 + maxRetries` times. */
  maxRetries: number;
  /** A Retry-After beyond this is not waited for: the failure is final instead. */
  maxRetryAfterMs: number;
}

/** One failed attempt, as the retry helper saw it. */
export interface FailedAttempt {
  /** 1 for the first attempt. */
  attempt: number;
  /** What the attempt threw; it is what the helper rethrows when the failure is final. */
  error: unknown;
  /** The error class that decides: `error` itself, or what `classify` mapped it to. */
  failure: AppError;
}

/** Everything {@link withRetry} needs besides the operation. */
export interface RetryOptions {
  policy: RetryPolicy;
  /** Waits and reads the time (Retry-After dates); default the system clock. */
  clock?: Clock;
  /** A number in [0, 1) for the jitter; injectable so tests can pin it. Default Math.random. */
  random?: () => number;
  /** Once aborted, nothing is retried and a wait in progress ends; the last failure is thrown. */
  signal?: AbortSignal;
  /** No retry comes sooner than this after the failed attempt. */
  minDelayMs?: number;
  /**
   * Maps what an attempt threw to the error class that says whether it is retryable (`isRetryable`) and how
   * long the service asked to wait (`retryAfterMs`). Default: an AppError as it is; anything else (undefined)
   * is final.
   */
  classify?: (error: unknown) => AppError | undefined;
  /** A further condition of the caller's: false makes a retryable failure final. */
  mayRetry?: (failed: FailedAttempt) => boolean;
  /** Called before each wait, for logs. */
  onRetry?: (retry: FailedAttempt & { delayMs: number }) => void;
}

/**
 * Runs `operation`, retrying a failure whose error class says it is retryable at most `policy.maxRetries`
 * times: after the Retry-After the error carries (a longer one than `policy.maxRetryAfterMs` makes the
 * failure final), otherwise after an exponential backoff with full jitter, never sooner than `minDelayMs`.
 * A final failure rethrows what the operation threw. After `signal` aborts, nothing is retried and a wait
 * in progress ends at once.
 * @param operation called with the attempt number, 1 for the first.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const failure = (options.classify ?? asAppError)(error);
      if (failure === undefined) throw error;
      const delayMs = retryDelay({ attempt, error, failure }, options);
      if (delayMs === undefined) throw error;
      options.onRetry?.({ attempt, error, failure, delayMs });
      await abortableSleep(clock, delayMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/**
 * The wait before the next attempt after `failed`, in ms, or undefined when the failure is final: the
 * retries are used up, the signal aborted, the error class says it is not retryable, the caller's
 * `mayRetry` says no, or its Retry-After is beyond the policy's cap.
 */
export function retryDelay(failed: FailedAttempt, options: RetryOptions): number | undefined {
  const { attempt, failure } = failed;
  if (attempt > options.policy.maxRetries || options.signal?.aborted || !failure.isRetryable)
    return undefined;
  if (options.mayRetry && !options.mayRetry(failed)) return undefined;
  const retryAfter = failure.retryAfterMs((options.clock ?? systemClock).now());
  if (retryAfter !== undefined && retryAfter > options.policy.maxRetryAfterMs) return undefined;
  const delayMs = retryAfter ?? fullJitterDelay(attempt, options.policy, options.random ?? Math.random);
  return options.minDelayMs === undefined ? delayMs : Math.max(options.minDelayMs, delayMs);
}

function asAppError(error: unknown): AppError | undefined {
  return error instanceof AppError ? error : undefined;
}

/** `clock.sleep`, ended early when `signal` aborts even if the clock ignores the signal. */
async function abortableSleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) {
    await clock.sleep(ms);
    return;
  }
  if (signal.aborted) return;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([clock.sleep(ms, signal), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
