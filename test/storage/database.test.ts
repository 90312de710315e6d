import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../../src/shared/errors';
import { MIGRATIONS, openDatabase, schemaVersion, type Db } from '../../src/storage';
import { migrate } from '../../src/storage/sqlite/database';

describe('openDatabase', () => {
  let folder: string;
  const opened: Db[] = [];

  function open(file: string): Db {
    const db = openDatabase({ file });
    opened.push(db);
    return db;
  }

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-db-'));
  });

  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('creates the folder and the file, and migrates to the latest schema version', () => {
    const file = path.join(folder, 'nested', 'deeper', 'bot.sqlite');
    const db = open(file);
    assert.ok(fs.existsSync(file));
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    for (const table of [
      'answers',
      'bot_state',
      'feedback',
      'inbound_activities',
      'kb_documents',
      'kb_passages',
      'open_streams',
      'work_items',
    ]) {
      assert.ok(tables.includes(table), `missing table ${table}`);
    }
  });

  it('turns on WAL mode, foreign keys and a busy timeout', () => {
    const db = open(path.join(folder, 'bot.sqlite'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
  });

  it('opens an existing database again without re-applying migrations, keeping its data', () => {
    const file = path.join(folder, 'bot.sqlite');
    const first = open(file);
    first
      .prepare("INSERT INTO bot_state (key, value, etag, updated_at) VALUES ('k', '{}', 'e1', 'now')")
      .run();
    first.close();

    const second = open(file);
    assert.equal(schemaVersion(second), MIGRATIONS.length);
    assert.deepEqual(second.prepare('SELECT key, etag FROM bot_state').all(), [{ key: 'k', etag: 'e1' }]);
  });

  it('accepts :memory:', () => {
    const db = open(':memory:');
    assert.equal(schemaVersion(db), MIGRATIONS.length);
  });

  it('refuses a database written by a newer version of the bot', () => {
    const file = path.join(folder, 'bot.sqlite');
    const db = open(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    assert.throws(
      () => open(file),
      (error: unknown) => error instanceof StorageError && /newer/.test(error.message),
    );
  });
});

describe('migrate', () => {
  let db: Db;

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
  });

  afterEach(() => {
    db.close();
  });

  const extra = [
    ...MIGRATIONS,
    {
      version: MIGRATIONS.length + 1,
      name: 'notes',
      sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);',
    },
  ];

  it('applies only the migrations newer than the recorded version, in order', () => {
    migrate(db, extra);
    assert.equal(schemaVersion(db), MIGRATIONS.length + 1);
    db.prepare("INSERT INTO notes (body) VALUES ('kept')").run();
    migrate(db, extra);
    assert.deepEqual(db.prepare('SELECT body FROM notes').all(), [{ body: 'kept' }]);
  });

  it('rolls back a failing migration entirely and leaves the version where it was', () => {
    const broken = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'half done',
        sql: 'CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);',
      },
    ];
    assert.throws(
      () => migrate(db, broken),
      (error: unknown) =>
        error instanceof StorageError && /half done/.test(error.message) && !error.isRetryable,
    );
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    const half = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get();
    assert.equal(half, undefined);
  });

  it('rejects a migration list with a gap in its versions', () => {
    const gap = [...MIGRATIONS, { version: MIGRATIONS.length + 2, name: 'skipped one', sql: 'SELECT 1;' }];
    assert.throws(() => migrate(db, gap), StorageError);
  });
});

describe('openDatabase journal mode', () => {
  it('uses WAL by default and a rollback journal when asked (network file systems)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-mode-'));
    try {
      const wal = openDatabase({ file: path.join(dir, 'wal.sqlite') });
      assert.equal(wal.pragma('journal_mode', { simple: true }), 'wal');
      wal.close();
      const rollback = openDatabase({ file: path.join(dir, 'delete.sqlite'), journalMode: 'delete' });
      assert.equal(rollback.pragma('journal_mode', { simple: true }), 'delete');
      assert.equal(rollback.pragma('synchronous', { simple: true }), 2, 'FULL');
      rollback.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the knowledge document origin migration', () => {
  it('marks documents indexed before it with an absolute source as ingested, the others as the folder', () => {
    // A database as the bot left it at schema version 4, with documents of both kinds.
    const fresh = new Database(':memory:');
    try {
      migrate(fresh, MIGRATIONS.slice(0, 4));
      const insert = fresh.prepare(
        "INSERT INTO kb_documents (id, source, title, content_hash, indexed_at) VALUES (?, ?, 't', 'h', 'now')",
      );
      insert.run('faq', 'faq.md');
      insert.run('/srv/docs/guide.pdf', '/srv/docs/guide.pdf');
      insert.run('C:\\docs\\a', 'C:\\docs\\a.md');
      migrate(fresh, MIGRATIONS);
      assert.deepEqual(fresh.prepare('SELECT source, origin FROM kb_documents ORDER BY source').all(), [
        { source: '/srv/docs/guide.pdf', origin: 'ingest' },
        { source: 'C:\\docs\\a.md', origin: 'ingest' },
        { source: 'faq.md', origin: 'folder' },
      ]);
    } finally {
      fresh.close();
    }
  });
});

describe('the answers scope migration (10)', () => {
  it('keys answers by tenant, conversation and message id, and links existing feedback only within its scope', () => {
    // A database as the bot left it at schema version 9: feedback was joined to answers by message id alone.
    const db = new Database(':memory:');
    try {
      migrate(db, MIGRATIONS.slice(0, 9));
      const answer = db.prepare(
        `INSERT INTO answers (message_id, conversation_id, tenant_id, user_id, question, answer, sources, created_at)
         VALUES (?, ?, 'tenant-a', 'u', ?, 'a', '[]', ?)`,
      );
      answer.run('m1', 'conv-1', 'first', '2025-03-10T09:00:00.000Z');
      answer.run('m-late', 'conv-1', 'late', '2025-03-10T11:00:00.000Z');
      const feedback = db.prepare(
        `INSERT INTO feedback (reaction, comment, message_id, conversation_id, tenant_id, user_id, created_at)
         VALUES ('dislike', ?, ?, ?, ?, 'u', '2025-03-10T10:00:00.000Z')`,
      );
      feedback.run('own answer', 'm1', 'conv-1', 'tenant-a');
      feedback.run('another tenant', 'm1', 'conv-1', 'tenant-b');
      feedback.run('another conversation', 'm1', 'conv-2', 'tenant-a');
      feedback.run('before the answer', 'm-late', 'conv-1', 'tenant-a');
      feedback.run('no message', null, 'conv-1', 'tenant-a');

      migrate(db, MIGRATIONS);
      assert.deepEqual(db.prepare('SELECT comment, answer_message_id FROM feedback ORDER BY id').all(), [
        { comment: 'own answer', answer_message_id: 'm1' },
        { comment: 'another tenant', answer_message_id: null },
        { comment: 'another conversation', answer_message_id: null },
        { comment: 'before the answer', answer_message_id: null },
        { comment: 'no message', answer_message_id: null },
      ]);
      assert.deepEqual(db.prepare('SELECT message_id, question FROM answers ORDER BY rowid').all(), [
        { message_id: 'm1', question: 'first' },
        { message_id: 'm-late', question: 'late' },
      ]);
      // The same message id in another conversation is another answer now, not a replacement.
      answer.run('m1', 'conv-2', 'elsewhere', '2025-03-10T12:00:00.000Z');
      const count = db.prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM answers WHERE message_id = 'm1'",
      );
      assert.equal(count.get()?.n, 2);
    } finally {
      db.close();
    }
  });
});
