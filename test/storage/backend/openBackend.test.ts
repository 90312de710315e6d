import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backendSettings, describePostgresUrl, openBackend } from '../../../src/storage/backend';
import { loadConfig } from '../../../src/config';
import { createTestDatabase, describePostgres } from '../../support/storageBackends';

describe('openBackend', () => {
  it('selects SQLite in DATA_DIR by default and PostgreSQL when DATABASE_URL is set', () => {
    assert.deepEqual(backendSettings(loadConfig({ DATA_DIR: '/srv/bot' }).storage), {
      kind: 'sqlite',
      file: path.join('/srv/bot', 'bot.sqlite'),
      journalMode: 'wal',
    });
    assert.deepEqual(
      backendSettings(
        loadConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/bot', DATABASE_POOL_SIZE: '4' }).storage,
      ),
      { kind: 'postgres', url: 'postgres://bot:pw@db:5432/bot', poolSize: 4 },
    );
  });

  it('describes a PostgreSQL URL by host, port and database only, never the credentials', () => {
    const described = describePostgresUrl(
      'postgresql://admin%40srv:p%40ss@srv.postgres.database.azure.com/bot?sslmode=require',
    );
    assert.equal(described, 'PostgreSQL srv.postgres.database.azure.com:5432/bot');
    assert.doesNotMatch(described, /admin|p%40ss|p@ss/);
  });

  it('opens every store on one SQLite file', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-'));
    const file = path.join(folder, 'bot.sqlite');
    const backend = await openBackend({ kind: 'sqlite', file });
    try {
      assert.equal(backend.describe(), `SQLite ${file}`);
      await backend.storage.write({ k: { v: 1 } });
      await backend.feedback.recordAnswer({
        messageId: 'm',
        conversationId: 'c',
        tenantId: 't',
        userId: 'u',
        question: 'q',
        answer: 'a',
        sources: [],
        createdAt: '2025-01-01T00:00:00.000Z',
      });
      assert.equal(
        (await backend.feedback.getAnswer({ tenantId: 't', conversationId: 'c' }, 'm'))?.answer,
        'a',
      );
      assert.deepEqual(await backend.passageIndex.stats(), { documents: 0, passages: 0 });
    } finally {
      await backend.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describePostgres('openBackend on PostgreSQL', (url) => {
  it('migrates a new database and opens every store on it', async () => {
    const database = await createTestDatabase(url);
    const backend = await openBackend({ kind: 'postgres', url: database.url, poolSize: 2 });
    try {
      assert.match(backend.describe(), /^PostgreSQL 127\.0\.0\.1:\d+\/test_[0-9a-f]+$/);
      const item = await backend.workItems.create({ tenantId: 't', conversationId: 'c' }, { title: 'Renew' });
      assert.equal(item.id, 'WI-1');
      await backend.storage.write({ k: { v: 1 } });
      assert.equal(((await backend.storage.read(['k'])) as Record<string, { v: number }>).k.v, 1);
    } finally {
      await backend.close();
      await database.drop();
    }
  });
});
