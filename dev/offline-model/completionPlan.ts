import { randomUUID } from 'node:crypto';
import { messageText } from './messageText';
import { tokenize } from './tokenize';
import type { ChatRequest, ScriptedReply } from './types';

/** One paced piece of a reply: a text token, the start of a tool call, or a fragment of its arguments. */
export type ReplyUnit =
  | { kind: 'content'; text: string }
  | { kind: 'toolStart'; index: number; id: string; name: string }
  | { kind: 'toolArguments'; index: number; text: string };

/** Why a reply ended, as OpenAI reports it. */
export type FinishReason = 'stop' | 'tool_calls' | 'length';

/** Everything needed to send one chat completion, streamed or not. */
export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  stream: boolean;
  units: ReplyUnit[];
  finishReason: FinishReason;
  /** For `dropAfter`: destroy the connection once this many units were sent. */
  dropAfterUnits?: number;
  /** Send a usage chunk before `[DONE]` (stream_options.include_usage). */
  includeUsage: boolean;
  promptTokens: number;
}

/** A reply the server can send: every ScriptedReply except an HTTP error. */
export type SendableReply = Exclude<ScriptedReply, { kind: 'httpError' }>;

function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

function countPromptTokens(request: ChatRequest): number {
  let count = 0;
  for (const message of request.messages) {
    count += tokenize(messageText(message.content)).length;
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) count += tokenize(call.function.arguments).length + 1;
    }
  }
  return count;
}

function contentUnits(text: string): ReplyUnit[] {
  return tokenize(text).map((token) => ({ kind: 'content', text: token }));
}

/**
 * Turns a reply into paced units and the completion's metadata. `max_completion_tokens` (or `max_tokens`)
 * cuts a text reply short with finish reason 'length', as OpenAI does.
 * @param createdSeconds the completion's `created` time, in Unix seconds.
 */
export function planCompletion(
  request: ChatRequest,
  reply: SendableReply,
  sequence: number,
  createdSeconds: number,
): CompletionPlan {
  const base = {
    id: `chatcmpl-offline-${sequence}-${randomUUID().slice(0, 8)}`,
    created: createdSeconds,
    model: request.model,
    stream: request.stream,
    includeUsage: request.stream_options?.include_usage === true,
    promptTokens: countPromptTokens(request),
  };
  switch (reply.kind) {
    case 'toolCalls': {
      const units = reply.calls.flatMap((call, index): ReplyUnit[] => [
        { kind: 'toolStart', index, id: newToolCallId(), name: call.name },
        ...tokenize(call.arguments).map((text): ReplyUnit => ({ kind: 'toolArguments', index, text })),
      ]);
      return { ...base, units, finishReason: 'tool_calls' };
    }
    case 'text': {
      const units = contentUnits(reply.text);
      const limit = request.max_completion_tokens ?? request.max_tokens;
      if (limit !== undefined && units.length > limit) {
        return { ...base, units: units.slice(0, limit), finishReason: 'length' };
      }
      return { ...base, units, finishReason: 'stop' };
    }
    case 'dropAfter':
      return {
        ...base,
        units: contentUnits(reply.text),
        finishReason: 'stop',
        dropAfterUnits: Math.max(0, Math.floor(reply.afterTokens)),
      };
  }
}
