import { ToolError } from '../shared/errors';
import type { WorkItemPatch, WorkItemStatus, WorkItemStore } from '../storage';
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

/** `update_work_item`: changes fields of a work item of the current conversation. */
export function updateWorkItemTool(store: WorkItemStore): Tool {
  return {
    name: 'update_work_item',
    async run(args, context): Promise<ToolResult> {
      const id = String(args.id);
      const patch: WorkItemPatch = {};
      for (const field of ['title', 'description', 'status', 'assignee', 'dueDate'] as const) {
        const value = field === 'assignee' ? assigneeArgument(args, context) : optionalString(args, field);
        if (value !== undefined) Object.assign(patch, { [field]: value });
      }
      if (Object.keys(patch).length === 0) {
        throw new ToolError('update_work_item', 'nothing to change: give at least one field to update');
      }
      if (patch.status === 'closed' && !context.claimDirectClose()) {
        throw new ToolError(
          'update_work_item',
          'closing more than one work item in one request needs the user to confirm: call close_work_items with all their ids instead',
        );
      }
      const workItem = await store.update(context.scope, id, patch);
      if (!workItem)
        throw new ToolError('update_work_item', `work item ${id} was not found in this conversation`);
      return { ok: true, workItem };
    },
  };
}
