import { StorageError } from '../shared/errors';

/** Where a work item lives: it is visible and updatable only in this tenant and conversation. */
export interface WorkItemScope {
  tenantId: string;
  conversationId: string;
}

/** The life cycle of a work item. */
export type WorkItemStatus = 'new' | 'active' | 'resolved' | 'closed';

/** The statuses in life-cycle order, for validation and for tool schemas. */
export const WORK_ITEM_STATUSES: readonly WorkItemStatus[] = ['new', 'active', 'resolved', 'closed'];

/** A tracked task, bug or request. */
export interface WorkItem {
  /** 'WI-<n>', n an integer primary key. */
  id: string;
  title: string;
  description: string;
  status: WorkItemStatus;
  assignee: string | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
  createdBy: string | null;
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  updatedAt: string;
}

/** What is needed to create a work item; status defaults to 'new'. */
export interface NewWorkItem {
  title: string;
  description?: string;
  status?: WorkItemStatus;
  assignee?: string | null;
  dueDate?: string | null;
  createdBy?: string | null;
  /** The creator's AAD object id (or Teams user id): how `forgetCreator` finds their items. */
  createdById?: string | null;
  /** True when created in the creator's own 1:1 chat with the bot. */
  personal?: boolean;
}

/** What `forgetCreator` did. */
export interface ForgottenWorkItems {
  /** Items the person created in their own 1:1 chat, deleted. */
  deleted: number;
  /** Items the person created in shared chats and channels, kept for the others with the creator removed. */
  anonymized: number;
}

/** The fields an update may change; absent (undefined) fields are kept. */
export type WorkItemPatch = Partial<
  Pick<WorkItem, 'title' | 'description' | 'status' | 'assignee' | 'dueDate'>
>;

/** Narrows a search; every given criterion must match. */
export interface WorkItemFilter {
  /** Case-insensitive substring of the title or the description. */
  query?: string;
  status?: WorkItemStatus;
  /** Case-insensitive exact match of the assignee. */
  assignee?: string;
  /** Default 20, at most 50. */
  limit?: number;
}

/** Default number of work items `find` returns. */
export const DEFAULT_WORK_ITEM_LIMIT = 20;
/** Most work items `find` returns, whatever the filter asks. */
export const MAX_WORK_ITEM_LIMIT = 50;

/**
 * Work items, each visible and changeable only in the tenant and conversation it was created in. One
 * implementation per storage backend (SQLite, PostgreSQL); both pass the same behaviour tests.
 */
export interface WorkItemStore {
  /** Creates a work item in `scope`, status 'new' unless given. */
  create(scope: WorkItemScope, input: NewWorkItem): Promise<WorkItem>;
  /** The work item with this id in `scope` ('WI-7', 'wi-7' or '7'), or undefined. */
  get(scope: WorkItemScope, id: string): Promise<WorkItem | undefined>;
  /** The work items in `scope` that match the filter, newest first. */
  find(scope: WorkItemScope, filter?: WorkItemFilter): Promise<WorkItem[]>;
  /**
   * Applies `patch` to the work item with this id in `scope` and stamps `updatedAt`.
   * @returns the updated item, or undefined when no such item exists in `scope`.
   */
  update(scope: WorkItemScope, id: string, patch: WorkItemPatch): Promise<WorkItem | undefined>;
  /**
   * Forgets a person as a creator: deletes the items they created in their 1:1 chat with the bot and, in
   * shared conversations, keeps the items (they belong to the team) but clears who created them.
   */
  forgetCreator(userId: string): Promise<ForgottenWorkItems>;
}

// Validation shared by the backends, so both accept and reject exactly the same input.

/** The trimmed title; a blank one is refused. */
export function requireTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed === '') throw new StorageError('a work item needs a title');
  return trimmed;
}

/** The status, when it is one of WORK_ITEM_STATUSES. */
export function requireStatus(status: string): WorkItemStatus {
  const known = WORK_ITEM_STATUSES.find((candidate) => candidate === status);
  if (!known)
    throw new StorageError(`unknown work item status "${status}" (use ${WORK_ITEM_STATUSES.join(', ')})`);
  return known;
}

/** Accepts null or a real calendar date written YYYY-MM-DD. */
export function requireDueDate(dueDate: string | null): string | null {
  if (dueDate === null || dueDate.trim() === '') return null;
  const trimmed = dueDate.trim();
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? new Date(`${trimmed}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== trimmed) {
    throw new StorageError(`due date "${dueDate}" is not a date written YYYY-MM-DD`);
  }
  return trimmed;
}

/** Trims text; empty or missing becomes null. */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/**
 * A patch as the stores write it: the title trimmed and required, the description trimmed, the status and due
 * date validated, a blank assignee or due date cleared to null. Fields left out stay left out. Throws
 * StorageError for a value the stores would refuse, so a change can be checked before it is proposed.
 */
export function normalizeWorkItemPatch(patch: WorkItemPatch): WorkItemPatch {
  const normalized: WorkItemPatch = {};
  if (patch.title !== undefined) normalized.title = requireTitle(patch.title);
  if (patch.description !== undefined) normalized.description = patch.description.trim();
  if (patch.status !== undefined) normalized.status = requireStatus(patch.status);
  if (patch.assignee !== undefined) normalized.assignee = optionalText(patch.assignee);
  if (patch.dueDate !== undefined) normalized.dueDate = requireDueDate(patch.dueDate);
  return normalized;
}

/** The limit of a search: default 20, between 1 and 50. */
export function clampWorkItemLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_WORK_ITEM_LIMIT;
  return Math.min(MAX_WORK_ITEM_LIMIT, Math.max(1, Math.floor(limit)));
}
