import { AppError, StorageError } from '../../shared/errors';

/** SQLite result codes that mean "another connection holds the lock; try again". */
const RETRYABLE_SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

/**
 * Runs one storage operation and turns any driver failure into a StorageError naming the operation
 * (retryable when SQLite reports a lock). Errors of the project's own hierarchy pass through unchanged.
 */
export function runStorage<T>(operation: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStorageError(operation, error);
  }
}

/** Wraps an unknown failure of `operation` as a StorageError, keeping AppErrors as they are. */
export function toStorageError(operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(`${operation} failed: ${detail}`, RETRYABLE_SQLITE_CODES.has(code), {
    cause: error,
  });
}
