import { ToolError } from '../shared/errors';
import {
  normalizeWorkItemPatch,
  type WorkItemPatch,
  type WorkItemStatus,
  type WorkItemStore,
} from '../storage';
import { applyItemChanges, proposeChange } from './itemChange';
import type { Tool, ToolContext, ToolResult } from './toolDefinition';

type Args = Record<string, unknown>;

function optionalString(args: Args, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The assignee argument, with "me" meaning the user who asked. */
function assigneeArgument(args: Args, context: ToolContext): string | undefined {
  const assignee = optionalString(args, 'assignee');
  return assignee?.toLowerCase() === 'me' ? (context.userName ?? assignee) : assignee;
}

/** `create_work_item`: a new work item in the current conversation. */
export function createWorkItemTool(store: WorkItemStore): Tool {
  return {
    name: 'create_work_item',
    async run(args, context): Promise<ToolResult> {
      const workItem = await store.create(context.scope, {
        title: String(args.title).trim(),
        description: optionalString(args, 'description') ?? '',
        status: (optionalString(args, 'status') as WorkItemStatus | undefined) ?? 'new',
        assignee: assigneeArgument(args, context) ?? null,
        dueDate: optionalString(args, 'dueDate') ?? null,
        createdBy: context.userName ?? null,
        createdById: context.userId,
        personal: context.conversationType === 'personal',
      });
      context.noteCreatedWorkItem(workItem.id);
      return { ok: true, workItem };
    },
  };
}

/** `find_work_items`: the work items of the current conversation, filtered. */
export function findWorkItemsTool(store: WorkItemStore): Tool {
  return {
    name: 'find_work_items',
    async run(args, context): Promise<ToolResult> {
      const workItems = await store.find(context.scope, {
        query: optionalString(args, 'query'),
        status: optionalString(args, 'status') as WorkItemStatus | undefined,
        assignee: assigneeArgument(args, context),
      });
      return { ok: true, workItems };
    },
  };
}

/** What the model is told when a change waits for the user: it must not say the change was made. */
export const AWAITING_CONFIRMATION =
  "NOTHING HAS CHANGED YET. The change is awaiting the user's confirmation: the user was shown exactly what would change, with Confirm and Cancel buttons (a card in Teams), and it is applied only if the user presses Confirm. Tell the user to check and confirm it; never say it was done.";

/**
 * `update_work_item`: changes fields of a work item of the current conversation. A work item this very turn
 * created (for the user who asked) is changed at once; any other existing item is never changed from the
 * model's call: the tool works out exactly which fields would change, from and to what, and asks the user to
 * confirm (see ToolContext.requestConfirmation). Only the requester's Confirm applies it.
 */
export function updateWorkItemTool(store: WorkItemStore): Tool {
  return {
    name: 'update_work_item',
    async run(args, context): Promise<ToolResult> {
      const id = String(args.id);
      const requested: WorkItemPatch = {};
      for (const field of ['title', 'description', 'status', 'assignee', 'dueDate'] as const) {
        const value = field === 'assignee' ? assigneeArgument(args, context) : optionalString(args, field);
        if (value !== undefined) Object.assign(requested, { [field]: value });
      }
      if (Object.keys(requested).length === 0) {
        throw new ToolError('update_work_item', 'nothing to change: give at least one field to update');
      }
      const item = await store.get(context.scope, id);
      if (!item)
        throw new ToolError('update_work_item', `work item ${id} was not found in this conversation`);
      const patch = normalizeWorkItemPatch(requested);
      const change = proposeChange(item, patch);
      if (change.fields.length === 0) {
        return {
          ok: true,
          unchanged: true,
          status: 'The work item already has these values.',
          workItem: item,
        };
      }
      if (context.createdThisTurn(item.id)) {
        const workItem = await store.update(context.scope, item.id, patch);
        if (!workItem)
          throw new ToolError('update_work_item', `work item ${id} was not found in this conversation`);
        return { ok: true, workItem };
      }
      const confirmationId = context.requestConfirmation({ changes: [change] });
      return {
        ok: true,
        confirmationRequired: true,
        confirmationId,
        status: AWAITING_CONFIRMATION,
        wouldChange: {
          id: item.id,
          title: item.title,
          changes: change.fields.map(({ field, before, after }) => ({ field, from: before, to: after })),
        },
      };
    },
    applyConfirmed: (changes, context) => applyItemChanges(store, context.scope, changes),
  };
}
