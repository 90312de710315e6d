export { searchKnowledgeTool } from './searchKnowledgeTool';
export { loadToolSchemas, type ActionDescription, type ArgumentValidator } from './toolSchemas';
export type { Tool, ToolContext, ToolResult } from './toolDefinition';
export { createWorkItemTool, findWorkItemsTool, updateWorkItemTool } from './workItemTools';
