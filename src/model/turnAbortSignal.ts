import { AsyncLocalStorage } from 'node:async_hooks';

const turnSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` so that every model HTTP request it makes is aborted when `signal` aborts. teams-ai's
 * OpenAIModel passes no signal to the openai client, so the signal travels with the turn's async context
 * and `abortableFetch` joins it to each request.
 */
export function runWithTurnSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return turnSignal.run(signal, work);
}

/** A `fetch` for the openai client that also aborts when the current turn's signal aborts. */
export const abortableFetch: typeof fetch = (input, init) => {
  const signal = turnSignal.getStore();
  if (!signal) return fetch(input, init);
  const combined = init?.signal ? AbortSignal.any([init.signal, signal]) : signal;
  return fetch(input, { ...init, signal: combined });
};
