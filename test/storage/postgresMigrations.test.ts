import { strict as assert } from 'node:assert';
import { StorageError } from '../../src/shared/errors';
import { migratePostgres, POSTGRES_MIGRATIONS, PostgresDatabase, type Migration } from '../../src/storage';
import { createTestSchema, describePostgres, dropTestSchema } from '../support/storageBackends';

describePostgres('PostgreSQL migrations', (url) => {
  let schema: string;
  const open: PostgresDatabase[] = [];

  function connect(): PostgresDatabase {
    const db = PostgresDatabase.connect({ url, schema, poolSize: 2 });
    open.push(db);
    return db;
  }

  async function appliedVersions(db: PostgresDatabase): Promise<number[]> {
    const { rows } = await db.query<{ version: number }>(
      'reading schema_migrations',
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return rows.map((row) => row.version);
  }

  beforeEach(async () => {
    schema = await createTestSchema(url);
  });

  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    await dropTestSchema(url, schema);
  });

  it('applies every migration exactly once when several instances start together', async () => {
    const migrators = Array.from({ length: 6 }, () => connect());
    const applied = await Promise.all(migrators.map((db) => migratePostgres(db, POSTGRES_MIGRATIONS)));

    const all = POSTGRES_MIGRATIONS.map((migration) => migration.version);
    assert.deepEqual(
      applied.flat().sort((a, b) => a - b),
      all,
      'each version was applied by exactly one instance',
    );
    assert.deepEqual(await appliedVersions(migrators[0]), all);
    const { rows } = await migrators[0].query<{ table_name: string }>(
      'listing tables',
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    assert.deepEqual(
      rows.map((row) => row.table_name),
      [
        'answers',
        'bot_state',
        'feedback',
        'inbound_activities',
        'kb_documents',
        'kb_passage_vectors',
        'kb_passages',
        'open_streams',
        'schema_migrations',
        'user_conversations',
        'work_items',
      ],
    );
  });

  it('applies only the migrations a database has not seen, in order', async () => {
    const db = connect();
    assert.deepEqual(await migratePostgres(db, POSTGRES_MIGRATIONS.slice(0, 2)), [1, 2]);
    assert.deepEqual(await migratePostgres(db, POSTGRES_MIGRATIONS), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(await migratePostgres(db, POSTGRES_MIGRATIONS), []);
  });

  it('rolls a failing migration back entirely and records nothing for it', async () => {
    const db = connect();
    const broken: Migration[] = [
      ...POSTGRES_MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id INTEGER); SELECT no_such_column FROM half_done;',
      },
    ];
    await assert.rejects(migratePostgres(db, broken), /migration 2 \(broken\) failed/);
    assert.deepEqual(await appliedVersions(db), [1]);
    await assert.rejects(db.query('reading', 'SELECT * FROM half_done'), StorageError);
  });

  it('refuses a database written by a newer version of the bot', async () => {
    const db = connect();
    await migratePostgres(db, POSTGRES_MIGRATIONS);
    await assert.rejects(
      migratePostgres(db, POSTGRES_MIGRATIONS.slice(0, 2)),
      (error: unknown) => error instanceof StorageError && /newer than this bot knows/.test(error.message),
    );
  });

  it('reports an unreachable server as a retryable StorageError', async () => {
    const unreachable = new URL(url);
    unreachable.port = '1';
    const db = PostgresDatabase.connect({ url: unreachable.toString() });
    open.push(db);
    await assert.rejects(
      migratePostgres(db, POSTGRES_MIGRATIONS),
      (error: unknown) => error instanceof StorageError && error.isRetryable,
    );
  });

  it('keys answers by tenant, conversation and message id, and links existing feedback only within its scope', async () => {
    // A database as the bot left it at schema version 9: feedback was joined to answers by message id alone.
    const db = connect();
    await migratePostgres(db, POSTGRES_MIGRATIONS.slice(0, 9));
    const answer = (messageId: string, conversationId: string, question: string, createdAt: string) =>
      db.query(
        'seeding',
        `INSERT INTO answers (message_id, conversation_id, tenant_id, user_id, question, answer, sources, created_at)
         VALUES ($1, $2, 'tenant-a', 'u', $3, 'a', '[]', $4)`,
        [messageId, conversationId, question, createdAt],
      );
    await answer('m1', 'conv-1', 'first', '2025-03-10T09:00:00.000Z');
    await answer('m-late', 'conv-1', 'late', '2025-03-10T11:00:00.000Z');
    const feedback = [
      ['own answer', 'm1', 'conv-1', 'tenant-a'],
      ['another tenant', 'm1', 'conv-1', 'tenant-b'],
      ['another conversation', 'm1', 'conv-2', 'tenant-a'],
      ['before the answer', 'm-late', 'conv-1', 'tenant-a'],
      ['no message', null, 'conv-1', 'tenant-a'],
    ];
    for (const values of feedback) {
      await db.query(
        'seeding',
        `INSERT INTO feedback (reaction, comment, message_id, conversation_id, tenant_id, user_id, created_at)
         VALUES ('dislike', $1, $2, $3, $4, 'u', '2025-03-10T10:00:00.000Z')`,
        values,
      );
    }

    await migratePostgres(db, POSTGRES_MIGRATIONS);
    const linked = await db.query<{ comment: string; answer_message_id: string | null }>(
      'reading',
      'SELECT comment, answer_message_id FROM feedback ORDER BY id',
    );
    assert.deepEqual(linked.rows, [
      { comment: 'own answer', answer_message_id: 'm1' },
      { comment: 'another tenant', answer_message_id: null },
      { comment: 'another conversation', answer_message_id: null },
      { comment: 'before the answer', answer_message_id: null },
      { comment: 'no message', answer_message_id: null },
    ]);
    // The same message id in another conversation is another answer now, not a conflict.
    await answer('m1', 'conv-2', 'elsewhere', '2025-03-10T12:00:00.000Z');
    const { rows } = await db.query<{ n: number }>(
      'counting',
      "SELECT count(*)::int AS n FROM answers WHERE message_id = 'm1'",
    );
    assert.equal(rows[0]?.n, 2);
  });

  it('marks knowledge documents indexed before the origin migration with an absolute source as ingested', async () => {
    const db = connect();
    await migratePostgres(db, POSTGRES_MIGRATIONS.slice(0, 4));
    for (const source of ['faq.md', '/srv/docs/guide.pdf', 'C:\\docs\\a.md']) {
      await db.query(
        'seeding',
        "INSERT INTO kb_documents (id, source, title, content_hash, indexed_at) VALUES ($1, $1, 't', 'h', 'now')",
        [source],
      );
    }
    await migratePostgres(db, POSTGRES_MIGRATIONS);
    const { rows } = await db.query<{ source: string; origin: string }>(
      'reading',
      'SELECT source, origin FROM kb_documents ORDER BY source',
    );
    assert.deepEqual(rows, [
      { source: '/srv/docs/guide.pdf', origin: 'ingest' },
      { source: 'C:\\docs\\a.md', origin: 'ingest' },
      { source: 'faq.md', origin: 'folder' },
    ]);
  });
});
