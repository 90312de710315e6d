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
import type { PgTransaction, PostgresDatabase } from './postgresDatabase';

interface WorkItemRow {
  /** BIGINT arrives as a string. */
  id: string;
  title: string;
  description: string;
  status: WorkItemStatus;
  assignee: string | null;
  due_date: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, title, description, status, assignee, due_date, created_by, created_at, updated_at';

/**
 * Work items on PostgreSQL, kept per tenant and conversation exactly like SqliteWorkItemStore: an item is
 * visible and updatable only in the tenant and conversation it was created in.
 * @throws StorageError (not retryable) for an empty title, an unknown status or a malformed due date.
 */
export class PostgresWorkItemStore implements WorkItemStore {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(scope: WorkItemScope, input: NewWorkItem): Promise<WorkItem> {
    const title = requireTitle(input.title);
    const status = requireStatus(input.status ?? 'new');
    const dueDate = requireDueDate(input.dueDate ?? null);
    const now = new Date(this.clock.now()).toISOString();
    const { rows } = await this.db.query<WorkItemRow>(
      'creating a work item',
      `INSERT INTO work_items (tenant_id, conversation_id, title, description, status, assignee, due_date,
                               created_by, created_at, updated_at, created_by_id, personal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)
       RETURNING ${COLUMNS}`,
      [
        scope.tenantId,
        scope.conversationId,
        title,
        input.description?.trim() ?? '',
        status,
        optionalText(input.assignee),
        dueDate,
        optionalText(input.createdBy),
        now,
        optionalText(input.createdById),
        input.personal === true,
      ],
    );
    const created = rows[0];
    if (!created) throw new StorageError('creating a work item returned no row');
    return toWorkItem(created);
  }

  async get(scope: WorkItemScope, id: string): Promise<WorkItem | undefined> {
    const key = parseWorkItemId(id);
    if (key === undefined) return undefined;
    const { rows } = await this.db.query<WorkItemRow>(
      'reading a work item',
      `SELECT ${COLUMNS} FROM work_items WHERE id = $1 AND tenant_id = $2 AND conversation_id = $3`,
      [key, scope.tenantId, scope.conversationId],
    );
    return rows[0] ? toWorkItem(rows[0]) : undefined;
  }

  async find(scope: WorkItemScope, filter: WorkItemFilter = {}): Promise<WorkItem[]> {
    const query = filter.query?.trim().toLowerCase();
    const assignee = filter.assignee?.trim().toLowerCase();
    const status = filter.status === undefined ? null : requireStatus(filter.status);
    // Case folding happens in JavaScript for the search text; lower() on the columns folds by the
    // database's character type (use a UTF-8 locale, as Azure Database for PostgreSQL does).
    const { rows } = await this.db.query<WorkItemRow>(
      'searching work items',
      `SELECT ${COLUMNS} FROM work_items
       WHERE tenant_id = $1 AND conversation_id = $2
         AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR lower(assignee) = $4)
         AND ($5::text IS NULL OR strpos(lower(title), $5) > 0 OR strpos(lower(description), $5) > 0)
       ORDER BY created_at DESC, id DESC
       LIMIT $6`,
      [
        scope.tenantId,
        scope.conversationId,
        status,
        assignee ? assignee : null,
        query ? query : null,
        clampWorkItemLimit(filter.limit),
      ],
    );
    return rows.map(toWorkItem);
  }

  async update(scope: WorkItemScope, id: string, patch: WorkItemPatch): Promise<WorkItem | undefined> {
    const key = parseWorkItemId(id);
    if (key === undefined) return undefined;
    return this.db.transaction('updating a work item', async (tx) => {
      const current = await lockItem(tx, scope, key);
      if (!current) return undefined;
      if (!Object.values(patch).some((value) => value !== undefined)) return current;
      const { rows } = await tx.query<WorkItemRow>(
        `UPDATE work_items
         SET title = $4, description = $5, status = $6, assignee = $7, due_date = $8, updated_at = $9
         WHERE id = $1 AND tenant_id = $2 AND conversation_id = $3
         RETURNING ${COLUMNS}`,
        [
          key,
          scope.tenantId,
          scope.conversationId,
          patch.title === undefined ? current.title : requireTitle(patch.title),
          patch.description === undefined ? current.description : patch.description.trim(),
          patch.status === undefined ? current.status : requireStatus(patch.status),
          patch.assignee === undefined ? current.assignee : optionalText(patch.assignee),
          patch.dueDate === undefined ? current.dueDate : requireDueDate(patch.dueDate),
          new Date(this.clock.now()).toISOString(),
        ],
      );
      return rows[0] ? toWorkItem(rows[0]) : undefined;
    });
  }

  /**
   * Deletes the items `userId` created in their own 1:1 chat and clears the creator of the items they
   * created in shared conversations, in one transaction.
   */
  async forgetCreator(userId: string): Promise<ForgottenWorkItems> {
    return this.db.transaction('forgetting a work item creator', async (tx) => {
      const deleted = await tx.query('DELETE FROM work_items WHERE created_by_id = $1 AND personal', [
        userId,
      ]);
      const anonymized = await tx.query(
        'UPDATE work_items SET created_by = NULL, created_by_id = NULL WHERE created_by_id = $1',
        [userId],
      );
      return { deleted: deleted.rowCount ?? 0, anonymized: anonymized.rowCount ?? 0 };
    });
  }
}

/** Reads the item and locks its row until the transaction ends, so concurrent patches apply one after the other. */
async function lockItem(tx: PgTransaction, scope: WorkItemScope, key: number): Promise<WorkItem | undefined> {
  const { rows } = await tx.query<WorkItemRow>(
    `SELECT ${COLUMNS} FROM work_items WHERE id = $1 AND tenant_id = $2 AND conversation_id = $3 FOR UPDATE`,
    [key, scope.tenantId, scope.conversationId],
  );
  return rows[0] ? toWorkItem(rows[0]) : undefined;
}

function toWorkItem(row: WorkItemRow): WorkItem {
  return {
    id: formatWorkItemId(Number(row.id)),
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
