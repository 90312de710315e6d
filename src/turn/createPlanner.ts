import {
  ActionPlanner,
  PromptManager,
  type PromptCompletionModel,
  type TurnState,
} from '@microsoft/teams-ai';
import { CachingTokenizer } from '../model';
import { answerCardHandler } from './answerCardHandler';
import type { Logger } from '../shared/logging';
import type { Clock } from '../shared/time';
import { GuardedModel } from './guardedModel';

/** How many earlier messages of the conversation the model sees. */
const MAX_HISTORY_MESSAGES = 20;

/**
 * The ActionPlanner over the `chat` prompt (prompts/chat: skprompt.txt, config.json with tools augmentation,
 * actions.json). Streaming is on in the model; the card is attached by the `endStreamHandler`.
 */
export function createPlanner(options: {
  model: PromptCompletionModel;
  promptsFolder: string;
  offlineModel: boolean;
  logger: Logger;
  clock?: Clock;
  /** The model or deployment name, for the model call's span. */
  modelName?: string;
}): ActionPlanner<TurnState> {
  const prompts = new PromptManager({
    promptsFolder: options.promptsFolder,
    max_history_messages: MAX_HISTORY_MESSAGES,
  });
  return new ActionPlanner<TurnState>({
    model: new GuardedModel(options.model, options.logger, {
      clock: options.clock,
      modelName: options.modelName,
    }),
    prompts,
    defaultPrompt: 'chat',
    // The same system prompt and tool definitions are counted on every call: remember their tokens.
    tokenizer: new CachingTokenizer(),
    endStreamHandler: answerCardHandler({ offlineModel: options.offlineModel }),
  });
}
