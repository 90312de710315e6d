import { ConnectorError } from '../shared/errors';
import { type RetryPolicy, withRetry } from '../shared/retry';
import { type Clock, parseRetryAfter } from '../shared/time';
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
} as const satisfies RetryPolicy & { retryableStatuses: readonly number[] };

/** What a retry policy needs besides the send itself. */
export interface RetryContext {
  clock: Clock;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** No retry comes sooner than this after the failed attempt (a stream allows one send per second). */
  minDelayMs?: number;
  /** Once aborted, no send is retried and a wait in progress ends. */
  signal?: AbortSignal;
  /** Called before each wait, for logs. */
  onRetry?: (info: { attempt: number; delayMs: number; status: number | undefined }) => void;
}

/**
 * Runs `send`, retrying retryable connector failures at most 3 times: after the server's Retry-After when
 * it gives one, otherwise after an exponential backoff with full jitter. Other failures are thrown at once,
 * as `send` threw them.
 */
export async function sendWithRetry<T>(send: () => Promise<T>, context: RetryContext): Promise<T> {
  return withRetry(send, {
    policy: CONNECTOR_RETRY,
    clock: context.clock,
    random: context.random,
    signal: context.signal,
    minDelayMs: context.minDelayMs ?? 0,
    classify: asConnectorError,
    onRetry: ({ attempt, delayMs, error }) =>
      context.onRetry?.({ attempt, delayMs, status: connectorErrorStatus(error) }),
  });
}

/**
 * A failed send as a ConnectorError: retryable when the status is one of {@link CONNECTOR_RETRY}'s (a
 * failure without a status is not), carrying the response's Retry-After.
 */
export function asConnectorError(error: unknown): ConnectorError {
  const status = connectorErrorStatus(error);
  return new ConnectorError(
    `the Bot Connector send failed (${status ?? 'no status'})`,
    status,
    undefined,
    status !== undefined && CONNECTOR_RETRY.retryableStatuses.includes(status),
    { cause: error, retryAfter: { 'retry-after': headerValue(responseHeaders(error), 'retry-after') } },
  );
}

/** The Retry-After of a failed response in ms: delta-seconds or an HTTP date. */
export function retryAfterMs(error: unknown, nowMs: number): number | undefined {
  return parseRetryAfter(headerValue(responseHeaders(error), 'retry-after'), nowMs);
}

function responseHeaders(error: unknown): unknown {
  return (error as { response?: { headers?: unknown } } | null)?.response?.headers;
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
