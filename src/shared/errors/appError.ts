import { retryAfterFromHeaders, type RetryAfterHeaders } from '../time';

/** What an AppError may carry besides its message. */
export interface AppErrorOptions {
  cause?: unknown;
  /** The failed response's Retry-After headers, when the failing service asked for a wait. */
  retryAfter?: RetryAfterHeaders;
}

/**
 * The project's error hierarchy. Every error carries an optional `cause` and says whether
 * retrying the same operation may succeed (`isRetryable`), so callers decide without string matching;
 * when the failing service asked for a wait, `retryAfterMs` says how long (the retry helper in
 * `shared/retry` reads both).
 */
export abstract class AppError extends Error {
  /** True when the same operation may succeed if tried again later. */
  abstract readonly isRetryable: boolean;
  /** Set only when given, so errors without one look as they always did (logs, comparisons). */
  declare private readonly retryAfterHeaders?: RetryAfterHeaders;

  constructor(message: string, options?: AppErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    if (options?.retryAfter) {
      Object.defineProperty(this, 'retryAfterHeaders', { value: options.retryAfter, enumerable: false });
    }
  }

  /**
   * How long the failing service asked to wait before a retry, in ms (an HTTP date is read relative to
   * `nowMs`); undefined when it said nothing.
   */
  retryAfterMs(nowMs: number): number | undefined {
    return retryAfterFromHeaders(this.retryAfterHeaders, nowMs);
  }
}

/** Invalid or incomplete configuration; startup stops with this error's one-line message. */
export class ConfigError extends AppError {
  readonly isRetryable = false;

  /** @param setting the environment variable or setting at fault. */
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}

/** A tool was called with arguments that do not match its schema, or could not do its work. */
export class ToolError extends AppError {
  readonly isRetryable = false;

  constructor(
    readonly tool: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A storage operation failed; `isRetryable` marks optimistic-concurrency conflicts. */
export class StorageError extends AppError {
  constructor(
    message: string,
    readonly isRetryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A conditional write of bot state lost an optimistic-concurrency race: the item's eTag no longer matches
 * (another turn wrote or deleted it since it was read). Nothing of the write was stored; re-read and retry.
 */
export class ETagConflictError extends StorageError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message, true);
  }
}

/** The Bot Connector (Teams) answered a send with an error status. */
export class ConnectorError extends AppError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly isRetryable: boolean,
    options?: AppErrorOptions,
  ) {
    super(message, options);
  }
}

/** The model endpoint failed or returned something unusable. */
export class ModelError extends AppError {
  constructor(
    message: string,
    readonly isRetryable: boolean,
    options?: AppErrorOptions,
  ) {
    super(message, options);
  }
}
