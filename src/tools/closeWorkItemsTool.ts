import { ToolError } from '../shared/errors';
import { MAX_WORK_ITEM_LIMIT, type WorkItem, type WorkItemStatus, type WorkItemStore } from '../storage';
import { applyItemChanges, proposeChange } from './itemChange';
import type { Tool, ToolResult } from './toolDefinition';

function optionalString(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `close_work_items`: closes several work items of the current conversation at once, by id or by filter.
 * It never closes anything itself: it looks up exactly which items would change, in the caller's scope,
 * and asks the user to confirm with a card. Only the confirmation (by the same user, before it expires)
 * closes them, and again only within the scope the request came from.
 */
export function closeWorkItemsTool(store: WorkItemStore): Tool {
  return {
    name: 'close_work_items',
    async run(args, context): Promise<ToolResult> {
      const ids = Array.isArray(args.ids) ? args.ids.map(String) : undefined;
      let items: WorkItem[];
      const notFound: string[] = [];
      if (ids && ids.length > 0) {
        items = [];
        for (const id of ids) {
          const item = await store.get(context.scope, id);
          if (item) items.push(item);
          else notFound.push(id);
        }
      } else {
        items = await store.find(context.scope, {
          query: optionalString(args, 'query'),
          status: optionalString(args, 'status') as WorkItemStatus | undefined,
          assignee: optionalString(args, 'assignee'),
          limit: MAX_WORK_ITEM_LIMIT,
        });
      }
      const toClose = items.filter((item) => item.status !== 'closed');
      if (toClose.length === 0) {
        throw new ToolError(
          'close_work_items',
          notFound.length > 0
            ? `work item(s) ${notFound.join(', ')} were not found in this conversation; nothing to close`
            : 'no open work item in this conversation matches; nothing to close',
        );
      }
      const confirmationId = context.requestConfirmation({
        changes: toClose.map((item) => proposeChange(item, { status: 'closed' })),
      });
      return {
        ok: true,
        confirmationRequired: true,
        confirmationId,
        status:
          'NOTHING HAS CHANGED YET. A card with Confirm and Cancel buttons was sent to the user; the items are closed only if the user presses Confirm. Tell the user to check the card.',
        wouldClose: toClose.map((item) => ({ id: item.id, title: item.title, status: item.status })),
        ...(notFound.length > 0 ? { notFoundInThisConversation: notFound } : {}),
      };
    },
    applyConfirmed: (changes, context) => applyItemChanges(store, context.scope, changes),
  };
}
