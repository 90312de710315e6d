import type { WorkItem, WorkItemPatch, WorkItemScope, WorkItemStatus, WorkItemStore } from '../storage';

/** A field of a work item that a change can set, in the order a confirmation lists them. */
export const CHANGEABLE_FIELDS = ['title', 'description', 'status', 'assignee', 'dueDate'] as const;

/** A field of a work item that a change can set. */
export type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

/** One field a change sets: its value when the change was proposed, and the value it sets (null: empty). */
export interface FieldChange {
  field: ChangeableField;
  before: string | null;
  after: string | null;
}

/**
 * What a confirmed change does to one existing work item: exactly these fields, from these values to those.
 * It is what the confirmation shows and, unchanged, what Confirm applies.
 */
export interface ItemChange {
  /** The work item's id ('WI-7'). */
  id: string;
  /** Its title when the change was proposed, to name it. */
  title: string;
  fields: FieldChange[];
}

/** How applying one item's change went. */
export type ItemChangeResult =
  /** The fields were set. */
  | 'applied'
  /** The item does not exist (any more) in the conversation: nothing done. */
  | 'missing'
  /** A field no longer has the value the user saw: nothing done, so no one else's change is overwritten. */
  | 'changedSince';

/** One item's change and how applying it went. */
export interface AppliedItemChange {
  change: ItemChange;
  result: ItemChangeResult;
}

function valueOf(item: WorkItem, field: ChangeableField): string | null {
  return item[field];
}

/**
 * The change `patch` (already normalized, see `normalizeWorkItemPatch`) would make to `item`: one entry per
 * field whose value differs, in the order of CHANGEABLE_FIELDS. No fields: the patch changes nothing.
 */
export function proposeChange(item: WorkItem, patch: WorkItemPatch): ItemChange {
  const fields: FieldChange[] = [];
  for (const field of CHANGEABLE_FIELDS) {
    const after = patch[field];
    if (after === undefined) continue;
    const before = valueOf(item, field);
    if (after !== before) fields.push({ field, before, after });
  }
  return { id: item.id, title: item.title, fields };
}

/**
 * Several proposals of one turn as one: changes to the same item are combined (a field keeps the value it had
 * before the first proposal and takes the last proposal's new value), and fields that end where they started
 * are left out, as are items left with no field.
 */
export function mergeChanges(earlier: readonly ItemChange[], later: readonly ItemChange[]): ItemChange[] {
  const merged = new Map<string, ItemChange>();
  for (const change of [...earlier, ...later]) {
    const known = merged.get(change.id);
    if (!known) {
      merged.set(change.id, { ...change, fields: [...change.fields] });
      continue;
    }
    for (const field of change.fields) {
      const index = known.fields.findIndex((candidate) => candidate.field === field.field);
      const first = known.fields[index];
      if (first) known.fields[index] = { ...field, before: first.before };
      else known.fields.push(field);
    }
  }
  return [...merged.values()]
    .map((change) => ({
      ...change,
      fields: CHANGEABLE_FIELDS.flatMap((name) =>
        change.fields.filter((field) => field.field === name && field.before !== field.after),
      ),
    }))
    .filter((change) => change.fields.length > 0);
}

/** The patch that sets a change's fields to their new values. */
function patchOf(change: ItemChange): WorkItemPatch {
  const patch: WorkItemPatch = {};
  for (const { field, after } of change.fields) {
    if (field === 'assignee' || field === 'dueDate') patch[field] = after;
    else if (field === 'status')
      patch.status = (after ?? '') as WorkItemStatus; // the store validates it
    else patch[field] = after ?? '';
  }
  return patch;
}

/**
 * Applies confirmed changes in `scope`, exactly as recorded: an item that is gone, or whose fields no longer
 * have the values the user saw, is skipped and reported, so a confirmation never overwrites what someone else
 * changed in the meantime. Returns one result per change, in order.
 */
export async function applyItemChanges(
  store: WorkItemStore,
  scope: WorkItemScope,
  changes: readonly ItemChange[],
): Promise<AppliedItemChange[]> {
  const results: AppliedItemChange[] = [];
  for (const change of changes) {
    const current = await store.get(scope, change.id);
    if (!current) {
      results.push({ change, result: 'missing' });
      continue;
    }
    if (change.fields.some((field) => valueOf(current, field.field) !== field.before)) {
      results.push({ change, result: 'changedSince' });
      continue;
    }
    const updated = await store.update(scope, change.id, patchOf(change));
    results.push({ change, result: updated ? 'applied' : 'missing' });
  }
  return results;
}

function isFieldChange(value: unknown): value is FieldChange {
  if (typeof value !== 'object' || value === null) return false;
  const { field, before, after } = value as Record<string, unknown>;
  const text = (candidate: unknown): boolean => candidate === null || typeof candidate === 'string';
  return (CHANGEABLE_FIELDS as readonly unknown[]).includes(field) && text(before) && text(after);
}

/** True for a value shaped like an ItemChange (pending changes are read back from stored state). */
export function isItemChange(value: unknown): value is ItemChange {
  if (typeof value !== 'object' || value === null) return false;
  const { id, title, fields } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    typeof title === 'string' &&
    Array.isArray(fields) &&
    fields.every(isFieldChange)
  );
}
