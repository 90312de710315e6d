/**
 * Embedded storage on SQLite (better-sqlite3): the database and its migrations, botbuilder `Storage`
 * for conversation state, work items, and the answers and feedback the bot records.
 */
export { openDatabase, schemaVersion, type Db } from './database';
export { MIGRATIONS, type Migration } from './migrations';
export { systemClock, type Clock } from './clock';
export { SqliteStorage } from './sqliteStorage';
export {
  DEFAULT_WORK_ITEM_LIMIT,
  MAX_WORK_ITEM_LIMIT,
  WORK_ITEM_STATUSES,
  WorkItemStore,
  type NewWorkItem,
  type WorkItem,
  type WorkItemFilter,
  type WorkItemPatch,
  type WorkItemScope,
  type WorkItemStatus,
} from './workItemStore';
export { formatWorkItemId, parseWorkItemId } from './workItemId';
export {
  DEFAULT_FEEDBACK_LIST_LIMIT,
  FeedbackStore,
  type AnswerRecord,
  type AnswerSource,
  type DailyFeedbackCounts,
  type FeedbackRecord,
  type FeedbackSummary,
  type FeedbackWithAnswer,
  type Reaction,
} from './feedbackStore';
export { runStorage } from './storageErrors';
