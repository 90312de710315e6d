import { inspect } from 'node:util';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ModelError } from '../shared/errors';
import { retryAfterFromHeaders } from '../shared/time';
import { isRetryableModelStatus, openAiErrorStatus } from './openAiErrors';

/** What went wrong with a model call, as far as the bot acts on it. */
export type ModelCallFailure = 'http' | 'stream' | 'connection' | 'timeout' | 'aborted';

/** An OpenAI error code as the API writes them (snake_case); anything else is not kept. */
const ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;
/** A delay in (milli)seconds, as Retry-After and retry-after-ms carry it. */
const DELAY = /^\d{1,9}(\.\d{1,6})?$/;
/** An HTTP date in its one current form (IMF-fixdate), e.g. `Wed, 21 Oct 2026 07:28:00 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * A failed model call, described only by what the bot itself decides on: the HTTP status, OpenAI's error
 * `code` (when it has the API's snake_case shape), the Retry-After headers (when they read as a delay or a
 * date) and whether trying again may help. It never carries upstream text: no message, body, headers or
 * request of the provider's error, which may echo a key back. That matters because teams-ai's OpenAIModel
 * prints every model error with `console.log(err)` (to stdout, past the bot's redacting logger), and turns it
 * into a new Error from `err.toString()` for the rest of the bot. The provider's own error is logged by the
 * bot's logger where this error is made (see `guardModelErrors`).
 */
export class ModelCallError extends ModelError {
  /** Only `retry-after` and `retry-after-ms`, in the shape openAiRetryAfterMs and `retryAfterMs` read. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly failure: ModelCallFailure,
    readonly status: number | undefined,
    readonly code: string | undefined,
    headers: Record<string, string>,
    isRetryable: boolean,
  ) {
    super(describe(failure, status, code), isRetryable);
    this.headers = headers;
  }

  /** The description of any error a model call threw (an openai APIError or a broken stream). */
  static from(error: unknown): ModelCallError {
    if (error instanceof ModelCallError) return error;
    if (error instanceof APIUserAbortError)
      return new ModelCallError('aborted', undefined, undefined, {}, false);
    if (error instanceof APIConnectionTimeoutError) {
      return new ModelCallError('timeout', undefined, undefined, {}, true);
    }
    if (error instanceof APIConnectionError) {
      return new ModelCallError('connection', undefined, undefined, {}, true);
    }
    const status = openAiErrorStatus(error);
    if (error instanceof APIError && status !== undefined) {
      const code = typeof error.code === 'string' && ERROR_CODE.test(error.code) ? error.code : undefined;
      // A 429 for an exhausted quota does not pass with time.
      const retryable = isRetryableModelStatus(status) && code !== 'insufficient_quota';
      return new ModelCallError('http', status, code, retryAfterHeaders(error.headers), retryable);
    }
    // An error event inside the stream, or the connection cut mid-stream: like a dropped connection.
    return new ModelCallError('stream', undefined, undefined, {}, true);
  }

  /** The wait the response's `retry-after-ms` or `retry-after` asked for, in ms; undefined without one. */
  override retryAfterMs(nowMs: number): number | undefined {
    return retryAfterFromHeaders(this.headers, nowMs);
  }

  /** One line without upstream text, for `console.log(err)` (teams-ai) and for `util.inspect`. */
  [inspect.custom](): string {
    return `${this.name}: ${this.message}`;
  }
}

function describe(failure: ModelCallFailure, status: number | undefined, code: string | undefined): string {
  switch (failure) {
    case 'http':
      return `the model endpoint answered HTTP ${status}${code ? ` (${code})` : ''}`;
    case 'stream':
      return 'the model stream failed';
    case 'connection':
      return 'the model endpoint could not be reached';
    case 'timeout':
      return 'the model endpoint did not answer in time';
    case 'aborted':
      return 'the model call was aborted';
  }
}

/** `retry-after` (a delay or an HTTP date) and `retry-after-ms` (a delay) of the response, when well formed. */
function retryAfterHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  const source = (headers ?? {}) as Record<string, unknown>;
  const seconds = typeof source['retry-after'] === 'string' ? source['retry-after'].trim() : '';
  if (DELAY.test(seconds) || HTTP_DATE.test(seconds)) result['retry-after'] = seconds;
  const milliseconds = typeof source['retry-after-ms'] === 'string' ? source['retry-after-ms'].trim() : '';
  if (DELAY.test(milliseconds)) result['retry-after-ms'] = milliseconds;
  return result;
}
