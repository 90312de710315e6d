export { searchKnowledgeTool } from './searchKnowledgeTool';
export { loadToolSchemas, type ActionDescription, type ArgumentValidator } from './toolSchemas';
export type { ConfirmationRequest, ConfirmedContext, Tool, ToolContext, ToolResult } from './toolDefinition';
export { createWorkItemTool, findWorkItemsTool, updateWorkItemTool } from './workItemTools';
export { closeWorkItemsTool } from './closeWorkItemsTool';
export {
  applyItemChanges,
  CHANGEABLE_FIELDS,
  isItemChange,
  mergeChanges,
  proposeChange,
  type AppliedItemChange,
  type ChangeableField,
  type FieldChange,
  type ItemChange,
  type ItemChangeResult,
} from './itemChange';
