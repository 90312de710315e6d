import type { CompletionPlan, FinishReason, ReplyUnit } from './completionPlan';

/** A tool call piece inside a streamed delta, as OpenAI sends it. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

/** The `delta` of one `chat.completion.chunk`. */
export interface ChunkDelta {
  role?: 'assistant';
  content?: string | null;
  refusal?: null;
  tool_calls?: ToolCallDelta[];
}

/** Token counts as OpenAI reports them. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The usage of a planned completion; a "token" is a unit of the reply. */
export function usageOf(plan: CompletionPlan): Usage {
  const completion = plan.units.length;
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: completion,
    total_tokens: plan.promptTokens + completion,
  };
}

/** One `chat.completion.chunk` with a single choice. */
export function chunkOf(
  plan: CompletionPlan,
  delta: ChunkDelta,
  finishReason: FinishReason | null = null,
): object {
  return {
    id: plan.id,
    object: 'chat.completion.chunk',
    created: plan.created,
    model: plan.model,
    system_fingerprint: 'fp_offline',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The chunk OpenAI sends last when `stream_options.include_usage` is set: no choices, only usage. */
export function usageChunkOf(plan: CompletionPlan): object {
  return {
    id: plan.id,
    object: 'chat.completion.chunk',
    created: plan.created,
    model: plan.model,
    system_fingerprint: 'fp_offline',
    choices: [],
    usage: usageOf(plan),
  };
}

/** The first delta of a stream: the role, with empty content for text or null content for tool calls. */
export function firstDelta(plan: CompletionPlan): ChunkDelta {
  const toolCalls = plan.units.some((unit) => unit.kind !== 'content');
  return { role: 'assistant', content: toolCalls ? null : '', refusal: null };
}

/**
 * The deltas for a batch of units sent at the same moment: consecutive text tokens become one content delta;
 * each tool call start gets a delta of its own (index, id, type, name, empty arguments), as OpenAI sends it,
 * and consecutive argument fragments of one call are joined into one delta.
 */
export function deltasOf(units: readonly ReplyUnit[]): ChunkDelta[] {
  const deltas: ChunkDelta[] = [];
  let content: string | undefined;
  let args: { index: number; text: string } | undefined;
  const flush = (): void => {
    if (content !== undefined) deltas.push({ content });
    if (args) deltas.push({ tool_calls: [{ index: args.index, function: { arguments: args.text } }] });
    content = undefined;
    args = undefined;
  };
  for (const unit of units) {
    if (unit.kind === 'content') {
      if (args) flush();
      content = (content ?? '') + unit.text;
    } else if (unit.kind === 'toolArguments' && args?.index === unit.index) {
      args.text += unit.text;
    } else {
      flush();
      if (unit.kind === 'toolArguments') {
        args = { index: unit.index, text: unit.text };
      } else {
        deltas.push({
          tool_calls: [
            {
              index: unit.index,
              id: unit.id,
              type: 'function',
              function: { name: unit.name, arguments: '' },
            },
          ],
        });
      }
    }
  }
  flush();
  return deltas;
}

/** The whole reply as one non-streamed `chat.completion` object. */
export function completionOf(plan: CompletionPlan): object {
  const content = plan.units.flatMap((unit) => (unit.kind === 'content' ? [unit.text] : [])).join('');
  const calls = new Map<
    number,
    { id: string; type: 'function'; function: { name: string; arguments: string } }
  >();
  for (const unit of plan.units) {
    if (unit.kind === 'toolStart') {
      calls.set(unit.index, { id: unit.id, type: 'function', function: { name: unit.name, arguments: '' } });
    } else if (unit.kind === 'toolArguments') {
      const call = calls.get(unit.index);
      if (call) call.function.arguments += unit.text;
    }
  }
  const message =
    calls.size > 0
      ? { role: 'assistant', content: null, refusal: null, tool_calls: [...calls.values()] }
      : { role: 'assistant', content, refusal: null };
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    system_fingerprint: 'fp_offline',
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage: usageOf(plan),
  };
}
