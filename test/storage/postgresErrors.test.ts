import { strict as assert } from 'node:assert';
import { StorageError } from '../../src/shared/errors';
import { isRetryablePgError } from '../../src/storage';
import { toPgStorageError } from '../../src/storage/postgres/postgresErrors';

/** A driver error as pg reports one: an Error with the SQLSTATE or socket code in `code`. */
function driverError(code: string, message = 'driver failure'): Error {
  return Object.assign(new Error(message), { code });
}

describe('PostgreSQL driver errors', () => {
  it('are retryable for serialization failures, deadlocks, lost connections and a busy server', () => {
    for (const code of ['40001', '40P01', '08006', '08003', '57P01', '53300', 'ECONNRESET', 'ECONNREFUSED']) {
      assert.ok(isRetryablePgError(driverError(code)), code);
    }
    assert.ok(isRetryablePgError(new Error('Connection terminated unexpectedly')));
  });

  it('are not retryable for constraint violations, syntax errors or bad data', () => {
    for (const code of ['23505', '23514', '42601', '42P01', '22P02']) {
      assert.equal(isRetryablePgError(driverError(code)), false, code);
    }
  });

  it('become StorageErrors naming the operation, keeping the driver error as the cause', () => {
    const cause = driverError('40P01', 'deadlock detected');
    const error = toPgStorageError('writing bot state', cause);
    assert.ok(error instanceof StorageError);
    assert.equal(error.message, 'writing bot state failed: deadlock detected');
    assert.equal(error.isRetryable, true);
    assert.equal(error.cause, cause);
    const own = new StorageError('already ours');
    assert.equal(toPgStorageError('anything', own), own);
  });
});
