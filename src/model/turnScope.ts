import { AsyncLocalStorage } from 'node:async_hooks';
import type { TurnUsage } from './tokenUsage';

/** What travels with one turn's async context down to the model call. */
export interface TurnScope {
  /** Aborted when the user presses Stop; `abortableFetch` joins it to every model HTTP request. */
  readonly signal: AbortSignal;
  /** Where the turn's model calls add their token usage (see `meterTokenUsage`). */
  readonly usage?: TurnUsage;
}

const storage = new AsyncLocalStorage<TurnScope>();

/**
 * Runs `work` inside a turn scope. teams-ai's OpenAIModel passes no signal to the openai client and shares
 * one event emitter across turns, so per-turn state reaches the model layer through the async context. The
 * turn layer's `Turn` is the scope it stores (see `runTurn`).
 */
export function runInTurnScope<T>(scope: TurnScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the turn whose async context is running, if any. */
export function currentTurnScope(): TurnScope | undefined {
  return storage.getStore();
}

/** A `fetch` for the openai client that also aborts when the current turn's signal aborts. */
export const abortableFetch: typeof fetch = (input, init) => {
  const signal = storage.getStore()?.signal;
  if (!signal) return fetch(input, init);
  const combined = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
  return fetch(input, { ...init, signal: combined });
};
