import { parseRetryAfter } from '../time';

/** The HTTP status of an openai APIError (or anything carrying a numeric `status`), if there is one. */
export function openAiErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
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
