/**
 * Reading tool results as the tools write them (JSON text in `role:'tool'` messages) into shapes the
 * answer composers can rely on. Anything unexpected becomes an `unreadable` result rather than an exception.
 */

/** One knowledge passage returned by `search_knowledge`. */
export interface KnowledgeHit {
  ref: number;
  title: string;
  heading: string;
  source: string;
  text: string;
}

/** The fields of a work item that an answer shows. */
export interface WorkItemView {
  id: string;
  title: string;
  status?: string;
  assignee?: string;
  dueDate?: string;
}

/** One field of a proposed change: its name and the values before and after (null: empty). */
export interface FieldChangeView {
  field: string;
  from: string | null;
  to: string | null;
}

/** A tool result, classified by its shape. */
export type ToolResult =
  | { kind: 'search'; hits: KnowledgeHit[] }
  | { kind: 'workItem'; item: WorkItemView }
  | { kind: 'workItems'; items: WorkItemView[] }
  /** A change waiting for the user's Confirm on a card (close_work_items). */
  | { kind: 'confirmation'; items: WorkItemView[] }
  /** A change to one work item waiting for the user's Confirm (update_work_item on an existing item). */
  | { kind: 'changeConfirmation'; item: WorkItemView; changes: FieldChangeView[] }
  /** The work item already had the values asked for. */
  | { kind: 'unchanged'; item: WorkItemView }
  | { kind: 'failure'; error: string }
  | { kind: 'unreadable'; raw: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function toHit(value: unknown, position: number): KnowledgeHit | undefined {
  if (!isRecord(value)) return undefined;
  const text = optionalText(value.text);
  if (!text) return undefined;
  // The tool numbers its results; if a ref is missing, the position is the best guess at the same number.
  const ref = typeof value.ref === 'number' && Number.isInteger(value.ref) ? value.ref : position + 1;
  return {
    ref,
    text,
    title: optionalText(value.title) ?? '',
    heading: optionalText(value.heading) ?? '',
    source: optionalText(value.source) ?? '',
  };
}

function toWorkItem(value: unknown): WorkItemView | undefined {
  if (!isRecord(value)) return undefined;
  const id = optionalText(value.id);
  if (!id) return undefined;
  const item: WorkItemView = { id, title: optionalText(value.title) ?? '(untitled)' };
  const status = optionalText(value.status);
  const assignee = optionalText(value.assignee);
  const dueDate = optionalText(value.dueDate);
  if (status) item.status = status;
  if (assignee) item.assignee = assignee;
  if (dueDate) item.dueDate = dueDate;
  return item;
}

function toFieldChange(value: unknown): FieldChangeView[] {
  if (!isRecord(value) || typeof value.field !== 'string') return [];
  const text = (candidate: unknown): string | null => (typeof candidate === 'string' ? candidate : null);
  return [{ field: value.field, from: text(value.from), to: text(value.to) }];
}

/** Classifies one tool message's content. */
export function readToolResult(content: string): ToolResult {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { kind: 'unreadable', raw: content };
  }
  if (!isRecord(json)) return { kind: 'unreadable', raw: content };
  if (json.ok === false) {
    return { kind: 'failure', error: optionalText(json.error) ?? 'no details were given' };
  }
  if (Array.isArray(json.results)) {
    const hits = json.results.map(toHit).filter((hit): hit is KnowledgeHit => hit !== undefined);
    return { kind: 'search', hits };
  }
  if (json.confirmationRequired === true && Array.isArray(json.wouldClose)) {
    const items = json.wouldClose.map(toWorkItem).filter((item): item is WorkItemView => item !== undefined);
    return { kind: 'confirmation', items };
  }
  if (json.confirmationRequired === true && isRecord(json.wouldChange)) {
    const item = toWorkItem(json.wouldChange);
    const changes = Array.isArray(json.wouldChange.changes)
      ? json.wouldChange.changes.flatMap(toFieldChange)
      : [];
    if (item) return { kind: 'changeConfirmation', item, changes };
  }
  if (json.unchanged === true) {
    const item = toWorkItem(json.workItem);
    if (item) return { kind: 'unchanged', item };
  }
  if (Array.isArray(json.workItems)) {
    const items = json.workItems.map(toWorkItem).filter((item): item is WorkItemView => item !== undefined);
    return { kind: 'workItems', items };
  }
  const item = toWorkItem(json.workItem);
  if (item) return { kind: 'workItem', item };
  return { kind: 'unreadable', raw: content };
}
