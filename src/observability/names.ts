import { createHash } from 'node:crypto';

/** The instrumentation scope of every span and metric of the bot. */
export const INSTRUMENTATION_SCOPE = 'teams-stream-assistant';

/** Span names (see docs/operations.md#telemetry). Model and tool spans add the model or tool name. */
export const SPAN = {
  turn: 'bot.turn',
  stateLoad: 'bot.state.load',
  /** `chat <model>`, as the OpenTelemetry GenAI conventions name a chat completion. */
  modelCall: 'chat',
  /** `execute_tool <tool>`, as the GenAI conventions name a tool call. */
  tool: 'execute_tool',
  connectorSend: 'bot.connector.send',
} as const;

/** Metric names (see docs/operations.md#telemetry). */
export const METRIC = {
  turns: 'bot.turns',
  informativeLatency: 'bot.turn.informative_latency',
  firstTextLatency: 'bot.turn.first_text_latency',
  finalLatency: 'bot.turn.final_latency',
  tokens: 'bot.tokens',
  retries: 'bot.retries',
  throttled: 'bot.throttled',
  stops: 'bot.stops',
  failures: 'bot.failures',
} as const;

/**
 * Attribute names. Values are never message text, user names or secrets; the conversation id is hashed
 * (`bot.conversation.hash`), user and tenant ids are left out.
 */
export const ATTR = {
  channel: 'bot.channel',
  conversationType: 'bot.conversation.type',
  conversationHash: 'bot.conversation.hash',
  outcome: 'bot.turn.outcome',
  failureCause: 'bot.failure.cause',
  modelCalls: 'bot.model.calls',
  toolsUsed: 'bot.tools.count',
  tokensEstimated: 'bot.tokens.estimated',
  tokenType: 'bot.token.type',
  stateLoaded: 'bot.state.loaded',
  operation: 'gen_ai.operation.name',
  requestModel: 'gen_ai.request.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  modelStreamed: 'bot.model.streamed',
  modelOutputStarted: 'bot.model.output_started',
  modelStatus: 'bot.model.status',
  attempts: 'bot.attempts',
  retries: 'bot.retries',
  toolName: 'gen_ai.tool.name',
  toolOutcome: 'bot.tool.outcome',
  activityType: 'bot.activity.type',
  streamType: 'bot.stream.type',
  sendOutcome: 'bot.send.outcome',
  httpStatus: 'http.response.status_code',
  retryTarget: 'bot.retry.target',
  delayMs: 'bot.retry.delay_ms',
  errorType: 'error.type',
} as const;

/**
 * A conversation id as it appears in telemetry: the first 16 hex digits of its SHA-256, enough to group one
 * conversation's turns without naming it.
 */
export function hashedId(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}
