import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, StorageError } from '../../../src/shared/errors';
import { loadQuestionSet, parseQuestionSet } from '../../../dev/evaluation';

describe('retrieval question set', () => {
  const label = { source: 'expense-policy.md', heading: 'Travel' };

  it('accepts a bare array and the { description, questions } form', () => {
    const questions = [{ question: 'hotel limit?', relevant: [label] }];
    assert.deepEqual(parseQuestionSet(questions, 'set'), questions);
    assert.deepEqual(parseQuestionSet({ description: 'x', questions }, 'set'), questions);
  });

  it('accepts the intro heading ""', () => {
    const questions = [{ question: 'q', relevant: [{ source: 'a.md', heading: '' }] }];
    assert.deepEqual(parseQuestionSet(questions, 'set'), questions);
  });

  it('rejects an empty set, a question without labels, and a label without source', () => {
    assert.throws(() => parseQuestionSet([], 'set.json'), ConfigError);
    assert.throws(
      () => parseQuestionSet([{ question: 'q', relevant: [] }], 'set.json'),
      (error: unknown) => error instanceof ConfigError && /set\.json/.test(error.message),
    );
    assert.throws(
      () => parseQuestionSet([{ question: 'q', relevant: [{ heading: 'Travel' }] }], 'set.json'),
      ConfigError,
    );
    assert.throws(() => parseQuestionSet([{ question: '  ', relevant: [label] }], 'set.json'), ConfigError);
  });

  describe('from a file', () => {
    let folder: string;

    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'eval-set-'));
    });

    afterEach(() => {
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('reads a valid file', async () => {
      const file = path.join(folder, 'set.json');
      fs.writeFileSync(file, JSON.stringify([{ question: 'q', relevant: [label] }]));
      assert.deepEqual(await loadQuestionSet(file), [{ question: 'q', relevant: [label] }]);
    });

    it('fails with ConfigError on invalid JSON and StorageError on a missing file', async () => {
      const file = path.join(folder, 'broken.json');
      fs.writeFileSync(file, '{ not json');
      await assert.rejects(loadQuestionSet(file), ConfigError);
      await assert.rejects(
        loadQuestionSet(path.join(folder, 'missing.json')),
        (error: unknown) => error instanceof StorageError && error.cause !== undefined,
      );
    });
  });
});
