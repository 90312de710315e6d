import sinon from 'sinon';
import type {
  ChatMessage,
  ChatRequest,
  OfflineModelClock,
  ScriptedReply,
  ToolDefinition,
} from '../../../dev/offline-model';

/** The four tools the bot offers, as function tool definitions. */
export const ALL_TOOLS = [
  'search_knowledge',
  'create_work_item',
  'find_work_items',
  'update_work_item',
] as const;

/** Function tool definitions with these names. */
export function toolsNamed(...names: string[]): ToolDefinition[] {
  return names.map((name) => ({
    type: 'function',
    function: { name, description: `the ${name} tool`, parameters: { type: 'object', properties: {} } },
  }));
}

/** A streamed request with a system prompt, the given messages and tools. */
export function requestWith(messages: ChatMessage[], tools?: ToolDefinition[]): ChatRequest {
  return {
    model: 'offline',
    stream: true,
    messages: [{ role: 'system', content: 'You are the Contoso helpdesk assistant.' }, ...messages],
    ...(tools ? { tools } : {}),
  };
}

/** A request whose last message is the user's `text`, offering `tools` (all four by default). */
export function userTurn(text: string, tools: ToolDefinition[] = toolsNamed(...ALL_TOOLS)): ChatRequest {
  return requestWith([{ role: 'user', content: text }], tools);
}

/** A request where `toolName` was called for `question` and returned `result` (serialised unless a string). */
export function afterTool(question: string, toolName: string, result: unknown): ChatRequest {
  return requestWith(
    [
      { role: 'user', content: question },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: toolName, arguments: '{}' } }],
      },
      {
        role: 'tool',
        tool_call_id: 'call_1',
        content: typeof result === 'string' ? result : JSON.stringify(result),
      },
    ],
    toolsNamed(...ALL_TOOLS),
  );
}

/** The single tool call of a reply, with its arguments parsed; fails the test for any other reply. */
export function onlyToolCall(reply: ScriptedReply): { name: string; args: unknown } {
  if (reply.kind !== 'toolCalls') throw new Error(`expected a tool call, got ${JSON.stringify(reply)}`);
  if (reply.calls.length !== 1) throw new Error(`expected one tool call, got ${reply.calls.length}`);
  const [call] = reply.calls;
  return { name: call.name, args: JSON.parse(call.arguments) as unknown };
}

/** The text of a reply; fails the test for any other reply. */
export function textOf(reply: ScriptedReply): string {
  if (reply.kind !== 'text') throw new Error(`expected a text reply, got ${JSON.stringify(reply)}`);
  return reply.text;
}

/** A sinon fake clock. */
export type FakeClock = ReturnType<typeof sinon.useFakeTimers>;

/**
 * A sinon fake clock installed on a private object rather than the globals, so only the server's timers
 * are fake: the openai client and Node's networking keep real time, and `countTimers()` counts the
 * server's timers alone.
 */
export function privateClock(): FakeClock {
  const target = { setTimeout, clearTimeout, setInterval, clearInterval, Date, Promise };
  return sinon.useFakeTimers({ global: target, toFake: ['setTimeout', 'clearTimeout'] });
}

/** The server's `clock` option backed by a fake clock. */
export function serverTimers(clock: FakeClock): OfflineModelClock {
  return {
    setTimeout: clock.setTimeout as unknown as typeof setTimeout,
    clearTimeout: clock.clearTimeout as unknown as typeof clearTimeout,
  };
}
