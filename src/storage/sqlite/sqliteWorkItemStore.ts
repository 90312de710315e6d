import { StorageError } from '../../shared/errors';
import { systemClock, type Clock } from '../../shared/time';
import { formatWorkItemId, parseWorkItemId } from '../workItemId';
import {
  clampWorkItemLimit,
  optionalText,
  requireDueDate,
  requireStatus,
  requireTitle,
  type NewWorkItem,
  type WorkItem,
  type WorkItemFilter,
  type WorkItemPatch,
  type WorkItemScope,
  type ForgottenWorkItems,
  type WorkItemStatus,
  type WorkItemStore,
} from '../workItems';
import type { Db } from './database';
import { runStorage } from './storageErrors';

interface WorkItemRow {
  id: number;
  title: string;
  description: string;
  status: WorkItemStatus;
  assignee: string | null;
  due_date: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

interface ScopedKey {
  key: number;
  tenantId: string;
  conversationId: string;
}

const COLUMNS = 'id, title, description, status, assignee, due_date, created_by, created_at, updated_at';

/**
 * Work items kept per tenant and conversation: an item is visible and updatable only in the tenant and
 * conversation it was created in, so one team's chat never sees another's items.
 * @throws StorageError (not retryable) for an empty title, an unknown status or a malformed due date.
 */
export class SqliteWorkItemStore implements WorkItemStore {
  private readonly insertItem;
  private readonly selectItem;
  private readonly selectMatching;
  private readonly updateItem;
  private readonly deletePersonalByCreator;
  private readonly anonymizeByCreator;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    // SQLite's lower() folds ASCII only; this folds any script the same way JavaScript does.
    db.function('casefold', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : null,
    );
    this.insertItem = db.prepare<
      [
        string,
        string,
        string,
        string,
        WorkItemStatus,
        string | null,
        string | null,
        string | null,
        string | null,
        number,
        string,
        string,
      ]
    >(
      `INSERT INTO work_items (tenant_id, conversation_id, title, description, status, assignee, due_date,
                               created_by, created_by_id, personal, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deletePersonalByCreator = db.prepare<[string]>(
      'DELETE FROM work_items WHERE created_by_id = ? AND personal = 1',
    );
    this.anonymizeByCreator = db.prepare<[string]>(
      'UPDATE work_items SET created_by = NULL, created_by_id = NULL WHERE created_by_id = ?',
    );
    this.selectItem = db.prepare<[ScopedKey], WorkItemRow>(
      `SELECT ${COLUMNS} FROM work_items
       WHERE id = @key AND tenant_id = @tenantId AND conversation_id = @conversationId`,
    );
    this.selectMatching = db.prepare<
      [
        {
          tenantId: string;
          conversationId: string;
          status: string | null;
          assignee: string | null;
          query: string | null;
          limit: number;
        },
      ],
      WorkItemRow
    >(
      `SELECT ${COLUMNS} FROM work_items
       WHERE tenant_id = @tenantId AND conversation_id = @conversationId
         AND (@status IS NULL OR status = @status)
         AND (@assignee IS NULL OR casefold(assignee) = @assignee)
         AND (@query IS NULL OR instr(casefold(title), @query) > 0 OR instr(casefold(description), @query) > 0)
       ORDER BY created_at DESC, id DESC
       LIMIT @limit`,
    );
    this.updateItem = db.prepare<
      [
        ScopedKey & {
          title: string;
          description: string;
          status: WorkItemStatus;
          assignee: string | null;
          dueDate: string | null;
          updatedAt: string;
        },
      ]
    >(
      `UPDATE work_items
       SET title = @title, description = @description, status = @status, assignee = @assignee,
           due_date = @dueDate, updated_at = @updatedAt
       WHERE id = @key AND tenant_id = @tenantId AND conversation_id = @conversationId`,
    );
  }

  /** Creates a work item in `scope`, status 'new' unless given. */
  async create(scope: WorkItemScope, input: NewWorkItem): Promise<WorkItem> {
    const title = requireTitle(input.title);
    const status = requireStatus(input.status ?? 'new');
    const dueDate = requireDueDate(input.dueDate ?? null);
    const now = new Date(this.clock.now()).toISOString();
    const key = runStorage('creating a work item', () => {
      const result = this.insertItem.run(
        scope.tenantId,
        scope.conversationId,
        title,
        input.description?.trim() ?? '',
        status,
        optionalText(input.assignee),
        dueDate,
        optionalText(input.createdBy),
        optionalText(input.createdById),
        input.personal ? 1 : 0,
        now,
        now,
      );
      return Number(result.lastInsertRowid);
    });
    const created = this.getByKey(scope, key);
    if (!created)
      throw new StorageError(`work item ${formatWorkItemId(key)} vanished right after it was created`);
    return created;
  }

  /** The work item with this id in `scope` ('WI-7', 'wi-7' or '7'), or undefined. */
  async get(scope: WorkItemScope, id: string): Promise<WorkItem | undefined> {
    const key = parseWorkItemId(id);
    return key === undefined ? undefined : this.getByKey(scope, key);
  }

  /** The work items in `scope` that match the filter, newest first. */
  async find(scope: WorkItemScope, filter: WorkItemFilter = {}): Promise<WorkItem[]> {
    const query = filter.query?.trim().toLowerCase();
    const assignee = filter.assignee?.trim().toLowerCase();
    const rows = runStorage('searching work items', () =>
      this.selectMatching.all({
        tenantId: scope.tenantId,
        conversationId: scope.conversationId,
        status: filter.status === undefined ? null : requireStatus(filter.status),
        assignee: assignee ? assignee : null,
        query: query ? query : null,
        limit: clampWorkItemLimit(filter.limit),
      }),
    );
    return rows.map(toWorkItem);
  }

  /**
   * Applies `patch` to the work item with this id in `scope` and stamps `updatedAt`.
   * @returns the updated item, or undefined when no such item exists in `scope`.
   */
  async update(scope: WorkItemScope, id: string, patch: WorkItemPatch): Promise<WorkItem | undefined> {
    const key = parseWorkItemId(id);
    if (key === undefined) return undefined;
    return runStorage('updating a work item', () =>
      this.db
        .transaction((): WorkItem | undefined => {
          const current = this.getByKey(scope, key);
          if (!current) return undefined;
          if (!Object.values(patch).some((value) => value !== undefined)) return current;
          this.updateItem.run({
            key,
            tenantId: scope.tenantId,
            conversationId: scope.conversationId,
            title: patch.title === undefined ? current.title : requireTitle(patch.title),
            description: patch.description === undefined ? current.description : patch.description.trim(),
            status: patch.status === undefined ? current.status : requireStatus(patch.status),
            assignee: patch.assignee === undefined ? current.assignee : optionalText(patch.assignee),
            dueDate: patch.dueDate === undefined ? current.dueDate : requireDueDate(patch.dueDate),
            updatedAt: new Date(this.clock.now()).toISOString(),
          });
          return this.getByKey(scope, key);
          // IMMEDIATE: it reads before it writes, and another process may write in between (BOT_PROCESSES);
          // taking the write lock first makes it wait (busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT.
        })
        .immediate(),
    );
  }

  /**
   * Deletes the items `userId` created in their own 1:1 chat and clears the creator of the items they
   * created in shared conversations, in one transaction.
   */
  async forgetCreator(userId: string): Promise<ForgottenWorkItems> {
    return runStorage('forgetting a work item creator', () =>
      this.db.transaction(() => ({
        deleted: this.deletePersonalByCreator.run(userId).changes,
        anonymized: this.anonymizeByCreator.run(userId).changes,
      }))(),
    );
  }

  private getByKey(scope: WorkItemScope, key: number): WorkItem | undefined {
    const row = runStorage('reading a work item', () =>
      this.selectItem.get({ key, tenantId: scope.tenantId, conversationId: scope.conversationId }),
    );
    return row ? toWorkItem(row) : undefined;
  }
}

function toWorkItem(row: WorkItemRow): WorkItem {
  return {
    id: formatWorkItemId(row.id),
    title: row.title,
    description: row.description,
    status: row.status,
    assignee: row.assignee,
    dueDate: row.due_date,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
