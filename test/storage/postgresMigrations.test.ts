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
        'schema_migrations',
        'user_conversations',
        'work_items',
      ],
    );
  });

  it('applies only the migrations a database has not seen, in order', async () => {
    const db = connect();
    assert.deepEqual(await migratePostgres(db, POSTGRES_MIGRATIONS.slice(0, 2)), [1, 2]);
    assert.deepEqual(await migratePostgres(db, POSTGRES_MIGRATIONS), [3, 4, 5, 6, 7, 8, 9]);
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
