import { AppError, StorageError } from '../../shared/errors';

/**
 * SQLSTATE codes (and classes) after which the same operation may succeed when tried again: serialization
 * failures and deadlocks, connection problems, a server shutting down or out of connections.
 */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300']);
const RETRYABLE_SQLSTATE_CLASSES = ['08'];
/** Node socket errors meaning the connection was lost or could not be made. */
const RETRYABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** Whether a pg driver error is worth retrying (see RETRYABLE_SQLSTATES). */
export function isRetryablePgError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (RETRYABLE_SQLSTATES.has(code) || RETRYABLE_NODE_CODES.has(code)) return true;
  if (RETRYABLE_SQLSTATE_CLASSES.some((prefix) => code.length === 5 && code.startsWith(prefix))) return true;
  // pg reports a connection that ended under a query without a code.
  return error instanceof Error && /Connection terminated|connection timeout/i.test(error.message);
}

/** Wraps an unknown failure of `operation` as a StorageError, keeping AppErrors as they are. */
export function toPgStorageError(operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(`${operation} failed: ${detail}`, isRetryablePgError(error), { cause: error });
}
