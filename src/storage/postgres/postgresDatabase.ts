import pg from 'pg';
import { StorageError } from '../../shared/errors';
import type { Logger } from '../../shared/logging';
import type { Migration } from '../sqlite/migrations';
import { POSTGRES_MIGRATIONS } from './postgresMigrations';
import { toPgStorageError } from './postgresErrors';

/** Where and how to connect. */
export interface PostgresOptions {
  /** postgres://user:password@host:port/database?sslmode=require */
  url: string;
  /** Most connections this process opens (default 10). */
  poolSize?: number;
  /** Use this schema instead of the user's default (`search_path`); tests give each test its own. */
  schema?: string;
  /** Receives errors of idle pooled connections (a restarted server), which would otherwise crash Node. */
  logger?: Logger;
}

/** A query runner bound to one transaction. */
export interface PgTransaction {
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Advisory lock class for migrations; the second key is the schema's hash, so schemas migrate independently. */
const MIGRATION_LOCK_CLASS = 0x5354; // 'ST'

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A pg connection pool with the project's error mapping: every failure becomes a StorageError naming the
 * operation (retryable for serialization failures, deadlocks and lost connections).
 */
export class PostgresDatabase {
  private constructor(private readonly pool: pg.Pool) {}

  /**
   * Connects and applies the migrations this database has not seen yet (see `migratePostgres`).
   * @throws StorageError when the server cannot be reached or a migration fails.
   */
  static async open(options: PostgresOptions): Promise<PostgresDatabase> {
    const database = PostgresDatabase.connect(options);
    try {
      await migratePostgres(database, POSTGRES_MIGRATIONS);
      return database;
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  /** A pool without migrating (for tests of the migrator). */
  static connect(options: PostgresOptions): PostgresDatabase {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new StorageError(`"${options.schema}" is not a plain schema name`);
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', (error) => {
      options.logger?.warn({ err: error }, 'an idle PostgreSQL connection failed; the pool replaces it');
    });
    return new PostgresDatabase(pool);
  }

  /** Runs one statement; resolves with its result. */
  async query<R extends pg.QueryResultRow>(
    operation: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw toPgStorageError(operation, error);
    }
  }

  /** Runs `work` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  async transaction<T>(operation: string, work: (tx: PgTransaction) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toPgStorageError(operation, error);
    }
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work({ query: (sql, params) => client.query(sql, params) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: drop it from the pool instead of handing it out again.
        broken = rollbackError;
      }
      throw toPgStorageError(operation, error);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Runs `work` on one dedicated connection (for session-level locks). */
  async withConnection<T>(operation: string, work: (connection: PgTransaction) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toPgStorageError(operation, error);
    }
    try {
      return await work({ query: (sql, params) => client.query(sql, params) });
    } catch (error) {
      throw toPgStorageError(operation, error);
    } finally {
      client.release();
    }
  }

  /** Closes every connection; waits for queries in flight. */
  async close(): Promise<void> {
    if (this.pool.ended) return;
    await this.pool.end();
  }
}

/**
 * Applies, in order and each in its own transaction, the migrations not yet recorded in `schema_migrations`.
 * Holds a session advisory lock while it does, so when several instances start together one migrates and
 * the others wait, then find nothing left to do: each migration is applied exactly once.
 * @returns the versions this call applied.
 * @throws StorageError when a migration fails or the database is newer than `migrations`.
 */
export async function migratePostgres(
  database: PostgresDatabase,
  migrations: readonly Migration[],
): Promise<number[]> {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new StorageError(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  const latest = migrations.at(-1)?.version ?? 0;
  return database.withConnection('migrating the PostgreSQL schema', async (connection) => {
    await connection.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [MIGRATION_LOCK_CLASS]);
    try {
      await connection.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version    INTEGER PRIMARY KEY,
           name       TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await connection.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((row) => row.version));
      const newest = Math.max(0, ...applied);
      if (newest > latest) {
        throw new StorageError(
          `the database is at schema version ${newest}, newer than this bot knows (${latest}); upgrade the bot`,
        );
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        try {
          await connection.query('BEGIN');
          await connection.query(migration.sql);
          await connection.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await connection.query('COMMIT');
        } catch (error) {
          await connection.query('ROLLBACK');
          throw new StorageError(`migration ${migration.version} (${migration.name}) failed`, false, {
            cause: error,
          });
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [
        MIGRATION_LOCK_CLASS,
      ]);
    }
  });
}
