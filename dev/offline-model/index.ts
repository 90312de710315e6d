/**
 * The built-in offline model: a local OpenAI-compatible Chat Completions server (streamed and not) with a
 * deterministic "brain", used when no model key is configured and by the integration tests and benchmark;
 * its `/v1/embeddings` is a lexical-hashing stand-in, not a semantic model.
 */
export { startOfflineModel } from './server';
export { composeReply, OFFLINE_INTRODUCTION, OFFLINE_TOOL_NAMES } from './composeReply';
export { tokenize } from './tokenize';
export { hashingEmbedding, HASHING_EMBEDDING_DIMENSIONS } from './hashingEmbedding';
export type { EmbeddingsRequest } from './embeddingsRequest';
export type {
  AssistantChatMessage,
  ChatContent,
  ChatContentPart,
  ChatMessage,
  ChatRequest,
  ChatToolCall,
  EmbeddingsFailure,
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
