import type { ChatMessage, ChatRequest, ScriptedReply } from '../../dev/offline-model';

/** One tool call a scripted model makes. */
export interface ScriptedCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** The text of a chat message. */
export function contentOf(message: ChatMessage): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
}

/** The messages of the current turn: from the last user message on. */
export function currentTurn(request: ChatRequest): ChatMessage[] {
  const lastUser = request.messages.map((message) => message.role).lastIndexOf('user');
  return lastUser < 0 ? [] : request.messages.slice(lastUser);
}

/** The parsed tool results of the current turn, in order. */
export function toolResultsOf(request: ChatRequest): Array<Record<string, unknown>> {
  return currentTurn(request)
    .filter((message) => message.role === 'tool')
    .map((message) => JSON.parse(contentOf(message)) as Record<string, unknown>);
}

/**
 * A model that obeys a plan: when the user's message contains a plan's marker, it calls the plan's tools one
 * per round, in order (a plan may depend on the earlier results), then answers "done". Other messages go to
 * the offline model's own brain.
 */
export class ToolScript {
  private readonly plans = new Map<
    string,
    (results: Array<Record<string, unknown>>) => ScriptedCall | undefined
  >();
  /** The last request of each finished plan, by marker: what the model saw, tool results included. */
  readonly finished = new Map<string, ChatRequest>();

  /** Plans fixed calls for messages containing `marker`. */
  plan(marker: string, calls: ScriptedCall[]): void {
    this.planDynamic(marker, (results) => calls[results.length]);
  }

  /** Plans calls chosen from the results so far; return undefined to finish. */
  planDynamic(
    marker: string,
    next: (results: Array<Record<string, unknown>>) => ScriptedCall | undefined,
  ): void {
    this.plans.set(marker, next);
  }

  /** The `script` option of the offline model. */
  readonly reply = (request: ChatRequest): ScriptedReply | undefined => {
    const turn = currentTurn(request);
    const userText = turn[0] ? contentOf(turn[0]) : '';
    for (const [marker, next] of this.plans) {
      if (!userText.includes(marker)) continue;
      const results = toolResultsOf(request);
      const call = next(results);
      if (call)
        return { kind: 'toolCalls', calls: [{ name: call.name, arguments: JSON.stringify(call.arguments) }] };
      this.finished.set(marker, request);
      return { kind: 'text', text: `done (${marker})` };
    }
    return undefined;
  };

  /** The tool results the model saw in the finished plan for `marker`. */
  resultsOf(marker: string): Array<Record<string, unknown>> {
    const request = this.finished.get(marker);
    if (!request) throw new Error(`the plan "${marker}" did not finish`);
    return toolResultsOf(request);
  }
}
