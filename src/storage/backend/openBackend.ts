import type { Storage } from 'botbuilder';
import type { AppConfig } from '../../config';
import {
  PostgresPassageIndex,
  PostgresVectorStore,
  SqlitePassageIndex,
  SqliteVectorStore,
  type PassageIndex,
  type PassageVectorStore,
} from '../../knowledge';
import type { Logger } from '../../shared/logging';
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
} from '..';
import { systemClock, type Clock } from '../../shared/time';

/** Which database every store lives in. */
export type BackendSettings =
  | { kind: 'sqlite'; file: string; journalMode?: 'wal' | 'delete' }
  | {
      kind: 'postgres';
      /** Holds credentials: never log it (use `describe()`). */
      url: string;
      poolSize?: number;
      /** A schema other than the user's default (tests give each test its own). */
      schema?: string;
    };

/** Every store of the bot on one database, migrated and ready. */
export interface Backend {
  readonly kind: BackendSettings['kind'];
  /** botbuilder Storage for conversation and user state (eTag optimistic concurrency). */
  readonly storage: Storage;
  /** Housekeeping on the same state (retention, forget). */
  readonly stateMaintenance: StateMaintenance;
  readonly workItems: WorkItemStore;
  readonly feedback: FeedbackStore;
  /** Who talked to the bot where (for forget). */
  readonly userConversations: UserConversationStore;
  readonly passageIndex: PassageIndex;
  /** Passage embeddings for hybrid search. */
  readonly vectors: PassageVectorStore;
  /** The inbound activity ids seen recently, shared by every process and instance on this database. */
  readonly activityIds: InboundActivityIds;
  /** The Teams streams open in any process on this database (closed by another process after a crash). */
  readonly openStreams: OpenStreamStore;
  /** Where the data lives, without credentials, e.g. "PostgreSQL db.example.com:5432/bot". */
  describe(): string;
  /** Closes the database (idempotent). */
  close(): Promise<void>;
}

/** Options shared by both backends. */
export interface OpenBackendOptions {
  /** Stamps records (default: the system clock). */
  clock?: Clock;
  /** Gets PostgreSQL pool errors. */
  logger?: Logger;
}

/** The backend the configuration selects: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
export function backendSettings(storage: AppConfig['storage']): BackendSettings {
  return storage.postgres
    ? { kind: 'postgres', url: storage.postgres.url, poolSize: storage.postgres.poolSize }
    : { kind: 'sqlite', file: storage.databaseFile, journalMode: storage.journalMode };
}

/**
 * Opens the database (applying migrations: on PostgreSQL one instance at a time, under an advisory lock) and
 * builds every store on it.
 * @throws StorageError when the database cannot be opened or migrated.
 */
export async function openBackend(
  settings: BackendSettings,
  options: OpenBackendOptions = {},
): Promise<Backend> {
  const clock = options.clock ?? systemClock;
  if (settings.kind === 'sqlite') {
    const db = openDatabase({ file: settings.file, journalMode: settings.journalMode });
    const storage = new SqliteStorage(db, clock);
    return {
      kind: 'sqlite',
      storage,
      stateMaintenance: storage,
      userConversations: new SqliteUserConversationStore(db),
      workItems: new SqliteWorkItemStore(db, clock),
      feedback: new SqliteFeedbackStore(db, clock),
      passageIndex: new SqlitePassageIndex(db),
      vectors: new SqliteVectorStore(db),
      activityIds: new SqliteInboundActivityIds(db, { clock }),
      openStreams: new SqliteOpenStreamStore(db),
      describe: () => `SQLite ${settings.file}`,
      close: () => {
        if (db.open) db.close();
        return Promise.resolve();
      },
    };
  }
  const db = await PostgresDatabase.open({
    url: settings.url,
    poolSize: settings.poolSize,
    schema: settings.schema,
    logger: options.logger,
  });
  const storage = new PostgresStorage(db, clock);
  return {
    kind: 'postgres',
    storage,
    stateMaintenance: storage,
    userConversations: new PostgresUserConversationStore(db),
    workItems: new PostgresWorkItemStore(db, clock),
    feedback: new PostgresFeedbackStore(db, clock),
    passageIndex: new PostgresPassageIndex(db),
    vectors: new PostgresVectorStore(db),
    activityIds: new PostgresInboundActivityIds(db, { clock }),
    openStreams: new PostgresOpenStreamStore(db),
    describe: () => describePostgresUrl(settings.url, settings.schema),
    close: () => db.close(),
  };
}

/** "PostgreSQL host:port/database" (and the schema, if any): never the user name or password. */
export function describePostgresUrl(url: string, schema?: string): string {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    const port = parsed.port || '5432';
    return `PostgreSQL ${parsed.hostname}:${port}/${database}${schema ? ` (schema ${schema})` : ''}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
