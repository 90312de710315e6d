import type {
  Memory,
  PromptCompletionModel,
  PromptCompletionModelEmitter,
  PromptFunctions,
  PromptTemplate,
  Tokenizer,
} from '@microsoft/teams-ai';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import type { TurnContext } from 'botbuilder';
import { EventEmitter } from 'node:events';
import { ModelCallSpan } from '../observability';
import type { Logger } from '../shared/logging';
import {
  asModelFailure,
  currentTurnScope,
  openAiErrorStatus,
  takeModelFailure,
  type TurnScope,
} from '../model';
import { type RetryPolicy, withRetry } from '../shared/retry';
import { type Clock, systemClock } from '../shared/time';
import { currentTurn } from './turn';

/** How a model call that failed before its first token is retried. */
export const MODEL_RETRY = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  /** A Retry-After beyond this is not waited for; the user gets the failure notice instead. */
  maxRetryAfterMs: 20000,
} as const satisfies RetryPolicy;

/** The events teams-ai's LLMClient listens to on a model. */
const MODEL_EVENTS = ['beforeCompletion', 'chunkReceived', 'responseReceived'] as const;

/**
 * Wraps the model (teams-ai's OpenAIModel) for three jobs teams-ai leaves undone:
 * - OpenAIModel has one event emitter for all turns, and LLMClient subscribes every turn to it and filters by
 *   context, so each streamed chunk is dispatched to every concurrent turn: quadratic work under load. Here
 *   each turn gets its own emitter (found through the turn's async scope) and every event goes to that turn's
 *   emitter only.
 * - A completion that fails with 408, 429, 5xx or a dropped connection before anything was streamed is tried
 *   again, at most 3 times, after the server's Retry-After or an exponential backoff with full jitter. Once a
 *   token has reached the user, a retry would repeat or contradict it, so it is not retried. Any other 4xx is
 *   final. OpenAIModel replaces the provider's error by one without status or headers, so the decision reads
 *   the turn's ModelCallError (recorded by `guardModelErrors`) and its `isRetryable` (through `withRetry`).
 *   Once the turn is aborted, nothing is retried and a wait in progress ends.
 * - The final failure is recorded on the turn (OpenAIModel turns errors into `status: 'error'`, which hides
 *   the provider's error), so the turn's final message keeps the partial text with a notice, or apologises,
 *   instead of ending silently. A call that ended because the turn was stopped is not retried.
 */
export class GuardedModel implements PromptCompletionModel {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly turnEvents = new WeakMap<TurnScope, EventEmitter>();
  /** For calls outside a turn scope (none in the bot; kept so the wrapper works anywhere). */
  private readonly unscopedEvents = new EventEmitter();
  /** Turns whose current model call has streamed text or a tool call. */
  private readonly streamedOutput = new WeakSet<TurnScope>();
  private readonly modelName: string;
  private readonly streamed: boolean;

  constructor(
    private readonly inner: PromptCompletionModel,
    private readonly logger: Logger,
    options: {
      clock?: Clock;
      random?: () => number;
      /** The model or deployment name on the call's span (default `unknown`). */
      modelName?: string;
      /** Whether the inner model streams (default true: the bot's OpenAIModel is built with stream: true). */
      streamed?: boolean;
    } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.modelName = options.modelName ?? 'unknown';
    this.streamed = options.streamed ?? true;
    this.random = options.random ?? Math.random;
    const innerEvents = inner.events;
    for (const name of MODEL_EVENTS) {
      innerEvents?.on(name, (...args: unknown[]) => this.route(name, args));
    }
  }

  /** The current turn's own emitter; LLMClient subscribes to it to stream chunks. */
  get events(): PromptCompletionModelEmitter {
    const scope = currentTurnScope();
    let events = scope ? this.turnEvents.get(scope) : this.unscopedEvents;
    if (!events && scope) {
      events = new EventEmitter();
      this.turnEvents.set(scope, events);
    }
    // A plain EventEmitter carrying exactly the inner model's events: teams-ai's emitter type is a typed view of it.
    return events as unknown as PromptCompletionModelEmitter;
  }

  /** Forwards one inner event to the emitter of the turn it belongs to (the async context it fires in). */
  private route(name: (typeof MODEL_EVENTS)[number], args: unknown[]): void {
    const scope = currentTurnScope();
    if (scope && name === 'chunkReceived') {
      const delta = (args[2] as { delta?: { content?: string; tool_calls?: unknown[] } } | undefined)?.delta;
      if (delta?.content || delta?.tool_calls?.length) this.streamedOutput.add(scope);
    }
    const target = scope ? this.turnEvents.get(scope) : this.unscopedEvents;
    target?.emit(name, ...args);
  }

  async completePrompt(
    context: TurnContext,
    memory: Memory,
    functions: PromptFunctions,
    tokenizer: Tokenizer,
    template: PromptTemplate,
  ): Promise<PromptResponse<string>> {
    const turn = currentTurn();
    const scope = currentTurnScope();
    const span = new ModelCallSpan(context, this.modelName, this.streamed);
    const usageBefore = turn?.usage.total;
    const end = (status: string, error?: unknown): void => {
      const usageAfter = turn?.usage.total;
      span.end({
        status,
        httpStatus: error === undefined ? undefined : openAiErrorStatus(error),
        outputStarted: scope ? this.streamedOutput.has(scope) : false,
        tokens:
          usageBefore && usageAfter
            ? {
                input: usageAfter.promptTokens - usageBefore.promptTokens,
                output: usageAfter.completionTokens - usageBefore.completionTokens,
              }
            : undefined,
      });
    };
    try {
      const response = await withRetry(
        async () => {
          if (scope) {
            this.streamedOutput.delete(scope);
            takeModelFailure(scope);
          }
          const response = await this.inner.completePrompt(context, memory, functions, tokenizer, template);
          if (response.status === 'success') return response;
          const error: unknown = (scope && takeModelFailure(scope)) ?? response.error;
          throw new FailedCompletion(response, error, scope ? this.streamedOutput.has(scope) : false);
        },
        {
          policy: MODEL_RETRY,
          clock: this.clock,
          random: this.random,
          signal: turn?.signal,
          // `error` is the call's ModelCallError when one was recorded, else what OpenAIModel returned.
          classify: (thrown) =>
            thrown instanceof FailedCompletion ? asModelFailure(thrown.error) : undefined,
          mayRetry: ({ error }) => {
            const failed = error as FailedCompletion;
            if (failed.streamedSomething || turn?.stopped) return false;
            return failed.response.status === 'error' || failed.response.status === 'rate_limited';
          },
          onRetry: ({ attempt, delayMs, error }) => {
            const failure = (error as FailedCompletion).error;
            span.retried({ attempt, delayMs, status: openAiErrorStatus(failure) });
            this.logger.warn(
              { attempt, delayMs, status: openAiErrorStatus(failure), err: failure },
              'the model failed before its first token; retrying',
            );
          },
        },
      );
      end(response.status);
      return response;
    } catch (thrown) {
      if (!(thrown instanceof FailedCompletion)) {
        end('error', thrown);
        throw thrown;
      }
      end(thrown.response.status, thrown.error);
      turn?.recordFailure(thrown.error ?? new Error(thrown.response.status));
      return thrown.response;
    }
  }
}

/** A completion that did not succeed, thrown inside the retry loop so withRetry can decide on it. */
class FailedCompletion extends Error {
  constructor(
    readonly response: PromptResponse<string>,
    /** The call's ModelCallError when one was recorded, else what OpenAIModel returned. */
    readonly error: unknown,
    /** Whether text or a tool call had reached the turn's stream before it failed. */
    readonly streamedSomething: boolean,
  ) {
    super(`the model call ended with status ${response.status}`);
  }
}
