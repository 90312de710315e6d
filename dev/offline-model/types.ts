import type { EmbeddingsRequest } from './embeddingsRequest';
/**
 * Wire and option types of the built-in offline model: the subset of the OpenAI Chat Completions request
 * format the offline server reads, the scripted replies tests can force, and the running server's handle.
 */

/** One piece of a multi-part message content (`{type:'text', text}`, `{type:'image_url', image_url}`, ...). */
export interface ChatContentPart {
  type: string;
  text?: string;
  image_url?: { url: string; detail?: string };
}

/** A message's content as OpenAI accepts it: plain text, an array of parts, or null (assistant tool calls). */
export type ChatContent = string | ChatContentPart[] | null;

/** One tool call an assistant message asked for, as it comes back in the conversation history. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A system (or `developer`, the newer name for the same thing) message. */
export interface SystemChatMessage {
  role: 'system' | 'developer';
  content: ChatContent;
  name?: string;
}

/** A message written by the user. */
export interface UserChatMessage {
  role: 'user';
  content: ChatContent;
  name?: string;
}

/** A message written by the model: text, tool calls, or both. */
export interface AssistantChatMessage {
  role: 'assistant';
  content: ChatContent;
  name?: string;
  tool_calls?: ChatToolCall[];
}

/** The result of one tool call, answering the assistant tool call with the same id. */
export interface ToolChatMessage {
  role: 'tool';
  content: ChatContent;
  tool_call_id: string;
}

/** One message of the conversation sent to the model. */
export type ChatMessage = SystemChatMessage | UserChatMessage | AssistantChatMessage | ToolChatMessage;

/** A function tool the model may call. `parameters` is a JSON schema, kept as received. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** `tool_choice` as OpenAI accepts it. */
export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** A parsed `POST /chat/completions` body (the fields the offline model reads; others are ignored). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  stream: boolean;
  temperature?: number;
  top_p?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  /** The classic models' output limit; reasoning models refuse it. */
  max_tokens?: number;
  /** The output limit every current model takes (reasoning models: reasoning tokens included). */
  max_completion_tokens?: number;
  /** Reasoning models only; classic models refuse it. */
  reasoning_effort?: string;
  parallel_tool_calls?: boolean;
  /** `'none'` makes the offline model answer in text without calling a tool. */
  tool_choice?: ToolChoice;
  /** When `include_usage` is set, a streamed reply ends with a usage chunk, as OpenAI's does. */
  stream_options?: { include_usage?: boolean };
}

/** What the model does for one request: answer, call tools, or (scripted only) fail in a chosen way. */
export type ScriptedReply =
  /** Streamed token by token as usual. */
  | { kind: 'text'; text: string }
  /** `arguments` is raw JSON text and may be invalid on purpose. */
  | { kind: 'toolCalls'; calls: Array<{ name: string; arguments: string }> }
  /** Answered with this status before any byte of the stream; `body` defaults to an OpenAI-style error. */
  | { kind: 'httpError'; status: number; body?: unknown; retryAfterSeconds?: number }
  /** Streams `afterTokens` tokens of `text`, then destroys the socket. */
  | { kind: 'dropAfter'; text: string; afterTokens: number };

/** A scripted failure of an embeddings request; `body` defaults to an OpenAI-style error. */
export interface EmbeddingsFailure {
  status: number;
  body?: unknown;
  retryAfterSeconds?: number;
}

/** Timers the server paces with; tests pass a sinon fake clock. */
export interface OfflineModelClock {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
}

/** How to start the offline model. */
export interface OfflineModelOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Delay before the first content token, default 300. */
  timeToFirstTokenMs?: number;
  /** Default 40; a "token" is a word or punctuation piece of the answer text. */
  tokensPerSecond?: number;
  /** Optional override per request, used by tests: return a scripted reply instead of composing one. */
  script?: (request: ChatRequest) => ScriptedReply | undefined;
  /**
   * Optional override per embeddings request, used by tests: answer with this HTTP error instead of
   * the vectors.
   */
  embeddingsScript?: (request: EmbeddingsRequest) => EmbeddingsFailure | undefined;
  /** For tests; default the global timers (looked up at each call, so sinon's global fakes apply too). */
  clock?: OfflineModelClock;
  /**
   * Model or Azure deployment names the server treats as reasoning models, besides the names it recognises
   * (o1/o3/o4, gpt-5...): it refuses the parameters those models refuse, as OpenAI does (see modelRules).
   */
  reasoningModels?: readonly string[];
}

/** Counts of chat completion responses (streamed or not) that got past request parsing. */
export interface OfflineModelStats {
  /** Responses still being produced. */
  open: number;
  /** Responses whose client closed the connection before the end. */
  aborted: number;
  /** Responses sent in full. */
  completed: number;
}

/** A started offline model server. */
export interface RunningOfflineModel {
  /** Base URL for the openai client, e.g. 'http://127.0.0.1:54321/v1'. */
  readonly baseUrl: string;
  /** Every request received, parsed, in order (tests assert on what the model saw, e.g. history on turn 2). */
  readonly requests: readonly ChatRequest[];
  /** Every embeddings request received, parsed, in order. */
  readonly embeddingRequests: readonly EmbeddingsRequest[];
  /** Number of streams currently open and number the client aborted (socket closed early). */
  readonly stats: OfflineModelStats;
  /** Ends open streams (with an error event the client sees), closes every connection and the server. */
  close(): Promise<void>;
}
