import { GPTTokenizer, type OpenAIModel } from '@microsoft/teams-ai';
import { wrapCreate } from './chatCompletions';
import type { TokenUsage } from './tokenUsage';
import { TappedStream } from './streamTaps';
import { currentTurnScope } from './turnScope';

/** The fields of a streamed `chat.completion.chunk` the meter reads. */
interface CompletionChunk {
  choices?: Array<{
    delta?: {
      content?: string | null;
      tool_calls?: Array<{ function?: { name?: string; arguments?: string } }>;
    };
  }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

const tokenizer = new GPTTokenizer();

/**
 * Makes every streamed completion of `model` report its token usage to the current turn (`TurnScope.usage`):
 * - the request asks the provider for usage (`stream_options.include_usage`, which teams-ai 1.7.4's
 *   OpenAIModel does not pass on: it copies a fixed list of completion fields);
 * - the chunk carrying `usage` (OpenAI sends it last, with no choices) is read as the stream goes by;
 * - when the provider sent none (some compatible servers, or a stream cut short by Stop), the prompt and
 *   the output seen so far are counted with the GPT tokenizer and the usage is marked `estimated`.
 * The client's `create` is wrapped once here (see `wrapCreate`); the chunks are passed through unchanged.
 * @throws ModelError when the model has no openai client to wrap (a teams-ai version that changed).
 */
export function meterTokenUsage(model: OpenAIModel): OpenAIModel {
  return wrapCreate(model, (create) => async (body, options) => {
    const usage = currentTurnScope()?.usage;
    if (body.stream !== true || !usage) return create(body, options);
    const request = { ...body, stream_options: { include_usage: true } };
    const stream = (await create(request, options)) as AsyncIterable<CompletionChunk>;
    return meteredStream(stream, request, (counted) => usage.add(counted));
  });
}

/** Watches the chunks go by and reports the call's usage once, when the stream ends, fails or is left. */
function meteredStream(
  stream: AsyncIterable<CompletionChunk>,
  request: Record<string, unknown>,
  report: (usage: TokenUsage) => void,
): AsyncIterable<CompletionChunk> {
  let reported: TokenUsage | undefined;
  let output = '';
  return TappedStream.of(stream, {
    chunk: (chunk) => {
      if (chunk.usage && typeof chunk.usage.prompt_tokens === 'number') {
        reported = {
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens ?? 0,
          estimated: false,
        };
      }
      const delta = chunk.choices?.[0]?.delta;
      if (delta?.content) output += delta.content;
      for (const call of delta?.tool_calls ?? []) {
        output += (call.function?.name ?? '') + (call.function?.arguments ?? '');
      }
    },
    end: () =>
      report(
        reported ?? {
          promptTokens: estimatePromptTokens(request),
          completionTokens: countTokens(output),
          estimated: true,
        },
      ),
  });
}

/** The prompt as the model sees it, roughly: every message's text and the tool definitions. */
function estimatePromptTokens(request: Record<string, unknown>): number {
  const messages = Array.isArray(request.messages) ? (request.messages as unknown[]) : [];
  // About 4 tokens of framing per message in the chat format, as OpenAI's cookbook counts them.
  const framing = messages.length * 4 + 3;
  const text = messages.map(messageText).join('\n');
  const tools = request.tools === undefined ? '' : JSON.stringify(request.tools);
  return framing + countTokens(text) + countTokens(tools);
}

/** The role, the content and any tool calls of one request message. */
function messageText(message: unknown): string {
  const {
    role,
    content,
    tool_calls: toolCalls,
  } = message as {
    role?: unknown;
    content?: unknown;
    tool_calls?: unknown;
  };
  const body = typeof content === 'string' ? content : content == null ? '' : JSON.stringify(content);
  return `${String(role)}\n${body}${toolCalls === undefined ? '' : JSON.stringify(toolCalls)}`;
}

function countTokens(text: string): number {
  return text.length === 0 ? 0 : tokenizer.encode(text).length;
}
