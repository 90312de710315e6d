import { messageText } from './messageText';
import type { ChatMessage } from './types';

/** One tool result at the end of the conversation, with the call that asked for it (when it can be found). */
export interface AnsweredToolCall {
  /** The tool's name from the assistant's call with the same id; undefined if no call matches. */
  toolName: string | undefined;
  /** The tool message's text content. */
  content: string;
}

/** Where the conversation stands: what the model has to respond to. */
export type ConversationState =
  /** The user spoke last. */
  | { kind: 'userTurn'; text: string }
  /** Tool results came back; `question` is the user message that led to the tool calls. */
  | { kind: 'toolResults'; question: string; results: AnsweredToolCall[] }
  /** Nothing to respond to (empty history, or the last message is a system or assistant one). */
  | { kind: 'nothing' };

/** Reads the end of the conversation to decide what the model must respond to. */
export function readConversation(messages: readonly ChatMessage[]): ConversationState {
  const last = messages[messages.length - 1];
  if (!last) return { kind: 'nothing' };
  if (last.role === 'user') return { kind: 'userTurn', text: messageText(last.content) };
  if (last.role !== 'tool') return { kind: 'nothing' };

  let start = messages.length - 1;
  while (start > 0 && messages[start - 1]?.role === 'tool') start -= 1;
  const toolMessages = messages.slice(start);
  const caller = messages[start - 1];
  const calls = caller?.role === 'assistant' ? (caller.tool_calls ?? []) : [];

  const results = toolMessages.map((message): AnsweredToolCall => {
    const id = message.role === 'tool' ? message.tool_call_id : undefined;
    const call = calls.find((candidate) => candidate.id === id);
    return { toolName: call?.function.name, content: messageText(message.content) };
  });

  let question = '';
  for (let index = start - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === 'user') {
      question = messageText(message.content);
      break;
    }
  }
  return { kind: 'toolResults', question, results };
}
