/**
 * The built-in offline model: a local OpenAI-compatible Chat Completions server (streamed and not) with a
 * deterministic "brain", used when no model key is configured and by the integration tests and benchmark.
 */
export { startOfflineModel } from './server';
export { composeReply, OFFLINE_INTRODUCTION, OFFLINE_TOOL_NAMES } from './composeReply';
export { tokenize } from './tokenize';
export type {
  AssistantChatMessage,
  ChatContent,
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatToolCall,
  OfflineModelClock,
  OfflineModelOptions,
  OfflineModelStats,
  RunningOfflineModel,
  ScriptedReply,
  SystemChatMessage,
  ToolChatMessage,
  ToolChoice,
  ToolDefinition,
  UserChatMessage,
} from './types';
