import { truncate } from '../../src/shared/text';
import type { FieldChangeView, WorkItemView } from './toolResults';

const MAX_LISTED_ITEMS = 10;
const MAX_ERROR_LENGTH = 200;
const MAX_ANSWER_LENGTH = 1200;

/** "active, assigned to Dana, due 2026-12-01" (only the fields the item has; "unassigned" when nobody). */
function details(item: WorkItemView): string {
  const parts = [item.status ?? 'no status', item.assignee ? `assigned to ${item.assignee}` : 'unassigned'];
  if (item.dueDate) parts.push(`due ${item.dueDate}`);
  return parts.join(', ');
}

/** The answer after `create_work_item` or `update_work_item` returned one work item. */
export function composeWorkItemAnswer(item: WorkItemView, toolName: string | undefined): string {
  const verb =
    toolName === 'create_work_item' ? 'I created' : toolName === 'update_work_item' ? 'I updated' : 'Here is';
  return `${verb} work item **${item.id}**: ${item.title} (${details(item)}).`;
}

/**
 * The answer after `find_work_items`: a Markdown list (id, title, status, assignee, due date), at most ten
 * entries. With `openOnly`, resolved and closed items are left out, because "open" is not a status the
 * tool can filter on.
 */
export function composeWorkItemListAnswer(items: readonly WorkItemView[], openOnly: boolean): string {
  const shown = openOnly ? items.filter((item) => item.status === 'new' || item.status === 'active') : items;
  const kind = openOnly ? 'open work item' : 'work item';
  if (shown.length === 0) return `I didn't find any ${kind}s matching that.`;
  const heading = shown.length === 1 ? `I found 1 ${kind}:` : `I found ${shown.length} ${kind}s:`;
  const lines = shown.map((item) => `- **${item.id}** ${truncate(item.title, 80)} (${details(item)})`);
  let listed = Math.min(lines.length, MAX_LISTED_ITEMS);
  const render = (): string => {
    const more = shown.length > listed ? [`- …and ${shown.length - listed} more`] : [];
    return `${heading}\n\n${[...lines.slice(0, listed), ...more].join('\n')}`;
  };
  while (render().length > MAX_ANSWER_LENGTH && listed > 1) listed -= 1;
  return render();
}

/** The answer when a tool reported `ok:false`: says so and quotes the error briefly. */
export function composeToolFailureAnswer(error: string, toolName: string | undefined): string {
  const tool = toolName ? `The ${toolName} tool` : 'The tool';
  return `${tool} reported a problem: "${truncate(error.replace(/\s+/g, ' ').trim(), MAX_ERROR_LENGTH)}"`;
}

/** The answer after `close_work_items`: what would be closed, and that nothing happens before Confirm. */
export function composeConfirmationAnswer(items: readonly WorkItemView[]): string {
  const listed = items.slice(0, MAX_LISTED_ITEMS);
  const lines = listed.map((item) => `- **${item.id}** ${truncate(item.title, 80)}`);
  if (items.length > listed.length) lines.push(`- …and ${items.length - listed.length} more`);
  const count = items.length === 1 ? '1 work item' : `${items.length} work items`;
  return (
    `I prepared closing ${count}:\n\n${lines.join('\n')}\n\n` +
    'Nothing has changed yet: press **Confirm** on the card below to close them, or **Cancel**.'
  );
}

/** How a field is named in an answer. */
const FIELD_NAMES: Record<string, string> = { dueDate: 'due date', assignee: 'assignee' };

/**
 * The answer after `update_work_item` asked the user to confirm a change to an existing item: what would
 * change, and that nothing happens before Confirm.
 */
export function composeChangeConfirmationAnswer(
  item: WorkItemView,
  changes: readonly FieldChangeView[],
): string {
  const lines = changes.map(
    (change) =>
      `- ${FIELD_NAMES[change.field] ?? change.field}: ${truncate(change.from ?? '(none)', 80)} → ` +
      truncate(change.to ?? '(none)', 80),
  );
  return (
    `I prepared a change to work item **${item.id}** (${truncate(item.title, 80)}):\n\n${lines.join('\n')}\n\n` +
    'Nothing has changed yet: press **Confirm** to apply it, or **Cancel**.'
  );
}

/** The answer when the work item already had the values asked for. */
export function composeUnchangedAnswer(item: WorkItemView): string {
  return `Work item **${item.id}** already has these values, so nothing needed to change.`;
}
