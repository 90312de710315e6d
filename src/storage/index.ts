/**
 * Storage: botbuilder `Storage` for conversation state, work items, and the answers and feedback the bot
 * records. The interfaces are backend-neutral; `sqlite/` holds the embedded implementation, `postgres/` the
 * scale-out one (several bot instances on one database).
 */
export { openDatabase, schemaVersion, type Db } from './sqlite/database';
export { MIGRATIONS, type Migration } from './sqlite/migrations';
export { SqliteStorage } from './sqlite/sqliteStorage';
export { SqliteWorkItemStore } from './sqlite/sqliteWorkItemStore';
export { SqliteFeedbackStore } from './sqlite/sqliteFeedbackStore';
export { SqliteUserConversationStore } from './sqlite/sqliteUserConversationStore';
export { SqliteInboundActivityIds } from './sqlite/sqliteInboundActivityIds';
export { SqliteOpenStreamStore } from './sqlite/sqliteOpenStreamStore';
export {
  INBOUND_ACTIVITY_SWEEP_INTERVAL_MS,
  INBOUND_ACTIVITY_WINDOW_MS,
  type InboundActivityIds,
} from './inboundActivityIds';
export type { StateMaintenance, UserConversation, UserConversationStore } from './userConversations';
export { runStorage } from './sqlite/storageErrors';
export {
  PostgresDatabase,
  migratePostgres,
  type PgTransaction,
  type PostgresOptions,
} from './postgres/postgresDatabase';
export { POSTGRES_MIGRATIONS } from './postgres/postgresMigrations';
export { PostgresStorage } from './postgres/postgresStorage';
export { PostgresWorkItemStore } from './postgres/postgresWorkItemStore';
export { PostgresFeedbackStore } from './postgres/postgresFeedbackStore';
export { PostgresUserConversationStore } from './postgres/postgresUserConversationStore';
export { PostgresInboundActivityIds } from './postgres/postgresInboundActivityIds';
export { PostgresOpenStreamStore } from './postgres/postgresOpenStreamStore';
export type { OpenStream, OpenStreamProgress, OpenStreamStore } from './openStreams';
export { isRetryablePgError } from './postgres/postgresErrors';
export { ConflictMergingStorage, type ConflictMergingOptions } from './conflictMergingStorage';
export { mergeStateChanges } from './stateMerge';
export {
  DEFAULT_WORK_ITEM_LIMIT,
  MAX_WORK_ITEM_LIMIT,
  normalizeWorkItemPatch,
  WORK_ITEM_STATUSES,
  type ForgottenWorkItems,
  type NewWorkItem,
  type WorkItem,
  type WorkItemFilter,
  type WorkItemPatch,
  type WorkItemScope,
  type WorkItemStatus,
  type WorkItemStore,
} from './workItems';
export { formatWorkItemId, parseWorkItemId } from './workItemId';
export {
  DEFAULT_FEEDBACK_LIST_LIMIT,
  type AnswersAndFeedbackCount,
  type AnswerRecord,
  type AnswerScope,
  type AnswerTokenUsage,
  type TokenUsageTotals,
  type AnswerSource,
  type DailyFeedbackCounts,
  type FeedbackRecord,
  type FeedbackStore,
  type FeedbackSummary,
  type FeedbackWithAnswer,
  type NewFeedback,
  type Reaction,
} from './feedback';

// Subfolders: which backend serves the stores, and the retention job and forget command.
export * from './backend';
export * from './retention';
