import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Storage } from 'botbuilder';
import {
  PostgresPassageIndex,
  PostgresVectorStore,
  SqlitePassageIndex,
  SqliteVectorStore,
  type PassageIndex,
  type PassageVectorStore,
} from '../../src/knowledge';
import {
  openDatabase,
  PostgresDatabase,
  PostgresFeedbackStore,
  PostgresInboundActivityIds,
  PostgresOpenStreamStore,
  PostgresStorage,
  PostgresUserConversationStore,
  PostgresWorkItemStore,
  SqliteFeedbackStore,
  SqliteInboundActivityIds,
  SqliteOpenStreamStore,
  SqliteStorage,
  SqliteUserConversationStore,
  SqliteWorkItemStore,
  type FeedbackStore,
  type InboundActivityIds,
  type OpenStreamStore,
  type StateMaintenance,
  type UserConversationStore,
  type WorkItemStore,
} from '../../src/storage';
import { systemClock, type Clock } from '../../src/shared/time';

/**
 * The storage backends the behaviour suites run against. SQLite always; PostgreSQL when TEST_DATABASE_URL is
 * set (`npm run test:postgres` starts a throwaway server and sets it). With REQUIRE_POSTGRES_TESTS=1 (CI) a
 * missing TEST_DATABASE_URL fails the run instead of skipping the PostgreSQL variants.
 */

/** A fresh, empty, migrated database with every store on it, plus raw SQL for assertions. */
export interface TestBackend {
  readonly storage: Storage & StateMaintenance;
  readonly workItems: WorkItemStore;
  readonly feedback: FeedbackStore;
  readonly userConversations: UserConversationStore;
  readonly passageIndex: PassageIndex;
  readonly vectors: PassageVectorStore;
  readonly activityIds: InboundActivityIds;
  readonly openStreams: OpenStreamStore;
  /** Runs a read-only SQL statement (no parameters; valid on both backends) and returns its rows. */
  rows<T>(sql: string): Promise<T[]>;
  /** Closes the connection but keeps the data (the database or schema) until `close`. */
  disconnect(): Promise<void>;
  /** A second, independent connection to the same data (another "bot instance"). */
  reconnect(): Promise<TestBackend>;
  /** Closes and deletes everything (idempotent). */
  close(): Promise<void>;
}

/** One backend the suites run against. */
export interface BackendUnderTest {
  readonly name: 'SQLite' | 'PostgreSQL';
  open(options?: { clock?: Clock }): Promise<TestBackend>;
}

/** The PostgreSQL server the tests may use, from the environment. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;
const POSTGRES_REQUIRED = process.env.REQUIRE_POSTGRES_TESTS === '1';
/** Why the PostgreSQL variants are skipped without TEST_DATABASE_URL (the skipped test's title says it). */
export const POSTGRES_MISSING_REASON =
  'TEST_DATABASE_URL is not set: the PostgreSQL variants need a server (npm run test:postgres starts one)';

/** SQLite in a file of its own temporary folder, which `close` removes. */
export const sqliteBackend: BackendUnderTest = {
  name: 'SQLite',
  open: (options = {}) => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-backend-'));
    return Promise.resolve(
      openSqliteTestBackend(path.join(folder, 'bot.sqlite'), options.clock ?? systemClock, folder),
    );
  },
};

function openSqliteTestBackend(file: string, clock: Clock, ownedFolder: string | undefined): TestBackend {
  const db = openDatabase({ file });
  const disconnect = (): Promise<void> => {
    if (db.open) db.close();
    return Promise.resolve();
  };
  return {
    storage: new SqliteStorage(db, clock),
    workItems: new SqliteWorkItemStore(db, clock),
    feedback: new SqliteFeedbackStore(db, clock),
    userConversations: new SqliteUserConversationStore(db),
    passageIndex: new SqlitePassageIndex(db),
    vectors: new SqliteVectorStore(db),
    activityIds: new SqliteInboundActivityIds(db, { clock }),
    openStreams: new SqliteOpenStreamStore(db),
    rows: <T>(sql: string) => Promise.resolve(db.prepare(sql).all() as T[]),
    disconnect,
    reconnect: () => Promise.resolve(openSqliteTestBackend(file, clock, undefined)),
    close: async () => {
      await disconnect();
      if (ownedFolder) fs.rmSync(ownedFolder, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL at TEST_DATABASE_URL, each `open` in a new schema that `close` drops. */
export function postgresBackend(url: string): BackendUnderTest {
  return {
    name: 'PostgreSQL',
    open: async (options = {}) => {
      const schema = await createTestSchema(url);
      return openPostgresTestBackend(url, schema, options.clock ?? systemClock, true);
    },
  };
}

async function openPostgresTestBackend(
  url: string,
  schema: string,
  clock: Clock,
  ownsSchema: boolean,
): Promise<TestBackend> {
  const db = await PostgresDatabase.open({ url, schema, poolSize: 4 });
  let closed = false;
  return {
    storage: new PostgresStorage(db, clock),
    workItems: new PostgresWorkItemStore(db, clock),
    feedback: new PostgresFeedbackStore(db, clock),
    userConversations: new PostgresUserConversationStore(db),
    passageIndex: new PostgresPassageIndex(db),
    vectors: new PostgresVectorStore(db),
    activityIds: new PostgresInboundActivityIds(db, { clock }),
    openStreams: new PostgresOpenStreamStore(db),
    rows: async <T>(sql: string) => (await db.query('a test query', sql)).rows as T[],
    disconnect: () => db.close(),
    reconnect: () => openPostgresTestBackend(url, schema, clock, false),
    close: async () => {
      await db.close();
      if (!ownsSchema || closed) return;
      closed = true;
      await dropTestSchema(url, schema);
    },
  };
}

/** Creates an empty schema with a random name and returns the name. */
export async function createTestSchema(url: string): Promise<string> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
  return schema;
}

/** Drops a schema made by createTestSchema, with everything in it. */
export async function dropTestSchema(url: string, schema: string): Promise<void> {
  await withAdminClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}

/** A new, empty database on the test server; resolves with its URL and a function that drops it. */
export async function createTestDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(url, (client) => client.query(`CREATE DATABASE ${name}`));
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return {
    url: databaseUrl.toString(),
    drop: async () => {
      await withAdminClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Declares `body` once per backend: "<title> (SQLite)" and "<title> (PostgreSQL)". Without TEST_DATABASE_URL
 * the PostgreSQL block is reported as skipped with the reason, or fails when REQUIRE_POSTGRES_TESTS=1.
 */
export function describeEachBackend(title: string, body: (backend: BackendUnderTest) => void): void {
  describe(`${title} (SQLite)`, () => body(sqliteBackend));
  describePostgres(`${title} (PostgreSQL)`, (url) => body(postgresBackend(url)));
}

/** Declares `body` against the test PostgreSQL server, skipped (or failing, when required) without one. */
export function describePostgres(title: string, body: (url: string) => void): void {
  if (TEST_DATABASE_URL !== undefined) {
    describe(title, () => body(TEST_DATABASE_URL));
    return;
  }
  describe(title, () => {
    if (POSTGRES_REQUIRED) {
      it('runs on PostgreSQL', () => {
        throw new Error(`REQUIRE_POSTGRES_TESTS=1 but ${POSTGRES_MISSING_REASON}`);
      });
      return;
    }
    it(`is skipped: ${POSTGRES_MISSING_REASON}`, function () {
      this.skip();
    });
  });
}
