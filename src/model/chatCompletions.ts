import type { OpenAIModel } from '@microsoft/teams-ai';
import { ModelError } from '../shared/errors';

/** The part of the openai client's `chat.completions` that teams-ai's OpenAIModel calls. */
export interface ChatCompletions {
  create(body: Record<string, unknown>, options?: unknown): Promise<unknown>;
}

/**
 * The `chat.completions` of the openai client inside a teams-ai OpenAIModel. OpenAIModel keeps its client in
 * the private `_client` field (teams-ai 1.7.4) and passes no hooks, so the bot's model layers (request
 * shaping, token metering, error guarding) each replace `create` with a wrapper around the previous one.
 * @throws ModelError when the model has no openai client (a teams-ai version that changed).
 */
export function chatCompletionsOf(model: OpenAIModel): ChatCompletions {
  const client = (model as unknown as { _client?: { chat?: { completions?: ChatCompletions } } })._client;
  const completions = client?.chat?.completions;
  if (!completions || typeof completions.create !== 'function') {
    throw new ModelError('teams-ai OpenAIModel has no openai client to wrap', false);
  }
  return completions;
}

/** Replaces `create` of the model's openai client with `wrap(previous create)`; returns the model. */
export function wrapCreate(
  model: OpenAIModel,
  wrap: (create: ChatCompletions['create']) => ChatCompletions['create'],
): OpenAIModel {
  const completions = chatCompletionsOf(model);
  completions.create = wrap(completions.create.bind(completions));
  return model;
}
