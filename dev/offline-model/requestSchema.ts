import { z } from 'zod';
import type { ChatRequest } from './types';

const contentPart = z
  .object({
    type: z.string(),
    text: z.string().optional(),
    image_url: z.object({ url: z.string(), detail: z.string().optional() }).optional(),
  })
  .passthrough();

const content = z.union([z.string(), z.array(contentPart), z.null()]).default(null);

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string().default('') }),
});

const message = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content, name: z.string().optional() }),
  z.object({ role: z.literal('user'), content, name: z.string().optional() }),
  z.object({
    role: z.literal('assistant'),
    content,
    name: z.string().optional(),
    tool_calls: z.array(toolCall).optional(),
  }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }),
]);

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.unknown()).optional(),
  }),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
]);

const body = z.object({
  model: z.string().optional(),
  messages: z.array(message).min(1, "'messages' must contain at least one message"),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  reasoning_effort: z.string().nullish(),
  parallel_tool_calls: z.boolean().nullish(),
});

/** The optional scalar parameters copied into the parsed request when present (and not null). */
const OPTIONAL_FIELDS = [
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'max_tokens',
  'max_completion_tokens',
  'reasoning_effort',
  'parallel_tool_calls',
] as const;

/** The outcome of reading a request body: the request, or why it is invalid (for a 400 answer). */
export type ParsedChatRequest = { ok: true; request: ChatRequest } | { ok: false; message: string };

/**
 * Validates an already JSON-parsed `POST /chat/completions` body against the OpenAI wire format.
 * @param json the parsed body.
 * @param defaultModel the model name to use when the body has none or an empty one.
 */
export function parseChatRequest(json: unknown, defaultModel: string): ParsedChatRequest {
  const result = body.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
    return { ok: false, message: `Invalid request body${where}: ${issue?.message ?? 'unknown problem'}` };
  }
  const parsed = result.data;
  const request: ChatRequest = {
    model: parsed.model || defaultModel,
    messages: parsed.messages,
    stream: parsed.stream ?? false,
  };
  if (parsed.tools) request.tools = parsed.tools;
  if (parsed.tool_choice !== undefined) request.tool_choice = parsed.tool_choice;
  if (parsed.stream_options) request.stream_options = parsed.stream_options;
  for (const field of OPTIONAL_FIELDS) {
    const value = parsed[field];
    // Each field has the same type in the schema and in ChatRequest.
    if (value !== undefined && value !== null) (request as unknown as Record<string, unknown>)[field] = value;
  }
  return { ok: true, request };
}
