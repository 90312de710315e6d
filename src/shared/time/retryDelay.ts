/** The shape of an exponential backoff: the first ceiling and the largest one. */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * A Retry-After header value in milliseconds: delta-seconds (fractions allowed) or an HTTP date relative to
 * `nowMs`. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The response headers that ask a client to wait: `retry-after` (seconds or an HTTP date), `retry-after-ms`. */
export interface RetryAfterHeaders {
  'retry-after'?: string;
  'retry-after-ms'?: string;
}

/**
 * How long `headers` ask the caller to wait, in ms: `retry-after-ms` when it reads as a number, else
 * `retry-after` (see {@link parseRetryAfter}, relative to `nowMs`); undefined when they say nothing.
 */
export function retryAfterFromHeaders(
  headers: RetryAfterHeaders | undefined,
  nowMs: number,
): number | undefined {
  const milliseconds = Number(headers?.['retry-after-ms']);
  if (headers?.['retry-after-ms'] && Number.isFinite(milliseconds)) return milliseconds;
  return parseRetryAfter(headers?.['retry-after'], nowMs);
}

/**
 * Exponential backoff with full jitter: a delay drawn between 0 and a ceiling that starts at `baseDelayMs`
 * and doubles per attempt (attempt 1 is the first retry), capped at `maxDelayMs`.
 */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
