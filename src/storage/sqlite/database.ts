import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageError } from '../../shared/errors';
import { MIGRATIONS, type Migration } from './migrations';
import { toStorageError } from './storageErrors';

/** An open better-sqlite3 connection. */
export type Db = Database.Database;

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating the folder and file if needed) and migrates the database. ':memory:' is allowed.
 * Turns on WAL mode (or a rollback journal with `journalMode: 'delete'`), foreign keys and a busy timeout, then applies every migration newer than
 * `PRAGMA user_version`, each once, in order, in its own transaction.
 * @throws StorageError when the file cannot be opened, a migration fails, or the database was
 *   written by a newer version of the bot.
 */
export function openDatabase(options: { file: string; journalMode?: 'wal' | 'delete' }): Db {
  const { file } = options;
  const journalMode = options.journalMode ?? 'wal';
  let db: Db;
  try {
    if (file !== ':memory:' && file !== '')
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw toStorageError(`opening the database ${file}`, error);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (journalMode === 'wal') {
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL is durable against application crashes and much faster than FULL.
      db.pragma('synchronous = NORMAL');
    } else {
      // WAL needs shared memory, which network file systems do not provide; a rollback journal works there.
      db.pragma('journal_mode = DELETE');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw toStorageError(`preparing the database ${file}`, error);
  }
}

/** The schema version recorded in the database (0 for a new one). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies, in order and each in its own transaction, the migrations newer than the database's version.
 * Exported for tests; `openDatabase` runs it with the real list.
 */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StorageError(
      `the database is at schema version ${current}, newer than this bot knows (${latest}); upgrade the bot`,
    );
  }
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StorageError(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    try {
      // IMMEDIATE, and the version read again under the write lock: of several processes opening the same
      // file at once (BOT_PROCESSES), one applies each migration and the others skip it.
      db.transaction(() => {
        if (schemaVersion(db) >= migration.version) return;
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } catch (error) {
      throw new StorageError(`migration ${migration.version} (${migration.name}) failed`, false, {
        cause: error,
      });
    }
  }
}
