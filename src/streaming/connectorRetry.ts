import { type Clock, fullJitterDelay, parseRetryAfter } from '../shared/time';
import { connectorErrorStatus } from './sendFailure';

/** How sends to the Bot Connector are retried (docs/teams-platform-facts.md §3: 429, 412, 502, 503, 504). */
export const CONNECTOR_RETRY = {
  retryableStatuses: [412, 429, 502, 503, 504] as readonly number[],
  maxRetries: 3,
  /** First backoff ceiling; doubles per attempt (full jitter picks a delay between 0 and the ceiling). */
  baseDelayMs: 500,
  maxDelayMs: 8000,
  /** A Retry-After beyond this is not waited for: the send fails instead of stalling the stream. */
  maxRetryAfterMs: 20000,
} as const;

/** What a retry policy needs besides the send itself. */
export interface RetryContext {
  clock: Clock;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** No retry comes sooner than this after the failed attempt (a stream allows one send per second). */
  minDelayMs?: number;
  /** Called before each wait, for logs. */
  onRetry?: (info: { attempt: number; delayMs: number; status: number | undefined }) => void;
}

/**
 * Runs `send`, retrying retryable connector failures at most 3 times: after the server's Retry-After when
 * it gives one, otherwise after an exponential backoff with full jitter. Other failures are thrown at once.
 */
export async function sendWithRetry<T>(send: () => Promise<T>, context: RetryContext): Promise<T> {
  const random = context.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const status = connectorErrorStatus(error);
      if (attempt > CONNECTOR_RETRY.maxRetries || status === undefined) throw error;
      if (!CONNECTOR_RETRY.retryableStatuses.includes(status)) throw error;
      const retryAfter = retryAfterMs(error, context.clock.now());
      if (retryAfter !== undefined && retryAfter > CONNECTOR_RETRY.maxRetryAfterMs) throw error;
      const delayMs = Math.max(
        context.minDelayMs ?? 0,
        retryAfter ?? fullJitterDelay(attempt, CONNECTOR_RETRY, random),
      );
      context.onRetry?.({ attempt, delayMs, status });
      await context.clock.sleep(delayMs);
    }
  }
}

/** The Retry-After of a failed response in ms: delta-seconds or an HTTP date. */
export function retryAfterMs(error: unknown, nowMs: number): number | undefined {
  const headers = (error as { response?: { headers?: unknown } } | null)?.response?.headers;
  return parseRetryAfter(headerValue(headers, 'retry-after'), nowMs);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value: unknown = getter.call(headers, name);
    return typeof value === 'string' ? value : undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
