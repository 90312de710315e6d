import { parseRetryAfter } from '../shared/time';

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

/**
 * How long an openai APIError asks the caller to wait, in ms: `retry-after-ms`, else `retry-after` (seconds or an
 * HTTP date, relative to `nowMs`); undefined when it says nothing. Its `headers` are a plain object.
 */
export function openAiRetryAfterMs(error: unknown, nowMs: number): number | undefined {
  const headers = (error as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  const milliseconds = Number(headers?.['retry-after-ms']);
  if (headers?.['retry-after-ms'] && Number.isFinite(milliseconds)) return milliseconds;
  return parseRetryAfter(headers?.['retry-after'], nowMs);
}
