import { AppError, ModelError } from '../shared/errors';
import { retryAfterFromHeaders, type RetryAfterHeaders } from '../shared/time';

/** The HTTP status of an openai APIError (or anything carrying a numeric `status`), if there is one. */
export function openAiErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Whether a model call that failed with this HTTP status may succeed when tried again: no status (a dropped
 * connection), 408, 429 and 5xx. Every other 4xx is final: the same request gets the same refusal
 * (docs/teams-platform-facts.md §10).
 */
export function isRetryableModelStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** The `retry-after-ms` and `retry-after` headers of an openai APIError (its `headers` are a plain object). */
export function openAiRetryAfterHeaders(error: unknown): RetryAfterHeaders {
  const headers = (error as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  return { 'retry-after-ms': headers?.['retry-after-ms'], 'retry-after': headers?.['retry-after'] };
}

/**
 * How long an openai APIError asks the caller to wait, in ms: `retry-after-ms`, else `retry-after` (seconds or an
 * HTTP date, relative to `nowMs`); undefined when it says nothing.
 */
export function openAiRetryAfterMs(error: unknown, nowMs: number): number | undefined {
  return retryAfterFromHeaders(openAiRetryAfterHeaders(error), nowMs);
}

/**
 * A failed model call as an error class that says whether to retry it: an AppError (the turn's
 * ModelCallError) as it is; anything else, such as the bare Error teams-ai's OpenAIModel returns, as a
 * ModelError retryable by its HTTP status (see {@link isRetryableModelStatus}: no status means a dropped
 * connection) and carrying its Retry-After.
 */
export function asModelFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new ModelError(
    `the model call failed: ${error instanceof Error ? error.message : String(error)}`,
    isRetryableModelStatus(openAiErrorStatus(error)),
    { cause: error, retryAfter: openAiRetryAfterHeaders(error) },
  );
}
