import { strict as assert } from 'node:assert';
import { ConfigError, StorageError } from '../../../src/shared/errors';

describe('errors', () => {
  it('names the setting in a configuration error', () => {
    const error = new ConfigError('OPENAI_MODEL', 'must not be empty');
    assert.equal(error.message, 'OPENAI_MODEL: must not be empty');
    assert.equal(error.isRetryable, false);
    assert.equal(error.name, 'ConfigError');
  });

  it('marks optimistic-concurrency conflicts retryable and keeps the cause', () => {
    const cause = new Error('eTag mismatch');
    const error = new StorageError('conflict', true, { cause });
    assert.equal(error.isRetryable, true);
    assert.equal(error.cause, cause);
  });
});
