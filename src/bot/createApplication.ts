import { AI, Application, type PromptCompletionModel, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Storage, type TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Logger } from '../logging';
import type { FeedbackStore } from '../storage';
import type { StreamBudget } from '../streaming';
import type { Clock } from '../time';
import type { ArgumentValidator, Tool } from '../tools';
import { answerTurnHandler } from './answerTurn';
import { createPlanner } from './createPlanner';
import { feedbackHandler } from './feedbackHandler';
import { registerToolActions } from './toolActions';
import { TurnSession } from './turnSession';
import type { StreamImplementation } from './turnStreams';
import { HELP_MESSAGE, sendWelcome, welcomeWhenBotAdded } from './welcome';

/** What the Teams AI application is built from. */
export interface BotApplicationOptions {
  adapter: TeamsAdapter;
  botAppId: string | undefined;
  storage: Storage;
  model: PromptCompletionModel;
  offlineModel: boolean;
  promptsFolder: string;
  tools: readonly Tool[];
  toolValidators: ReadonlyMap<string, ArgumentValidator>;
  feedbackStore: FeedbackStore;
  logger: Logger;
  clock?: Clock;
  /** Which streamer answers; 'library' (teams-ai's stock one) is for the benchmark only. */
  streamImplementation?: StreamImplementation;
  /** Overrides of the stream's time and size limits (tests). */
  streamBudget?: Partial<StreamBudget>;
}

/**
 * The Teams AI `Application`: persistent state in `storage`, the ActionPlanner with the streaming model,
 * the feedback loop on, the tools as actions, and handlers for messages, help, welcome and feedback.
 */
export function createBotApplication(options: BotApplicationOptions): Application<TurnState> {
  const planner = createPlanner({
    model: options.model,
    promptsFolder: options.promptsFolder,
    offlineModel: options.offlineModel,
    logger: options.logger,
    clock: options.clock,
  });
  const app = new Application<TurnState>({
    adapter: options.adapter,
    botAppId: options.botAppId,
    storage: options.storage,
    // Typing indicators between streaming updates would interleave with the stream.
    startTypingTimer: false,
    removeRecipientMention: true,
    ai: { planner, enable_feedback_loop: true },
  });

  registerToolActions(app, options.tools, options.toolValidators, options.logger);
  app.ai.action(AI.HttpErrorActionName, (context: TurnContext, _state: TurnState, error: unknown) => {
    // The AI system ends here on any failure; the message handler then sends the polite final message.
    options.logger.warn({ err: error }, 'the AI system stopped on an error');
    TurnSession.of(context)?.streamer.noteModelFailure(error);
    return Promise.resolve(AI.StopCommandName);
  });
  app.ai.action(
    AI.UnknownActionName,
    (_context: TurnContext, _state: TurnState, _data: unknown, action?: string) => {
      options.logger.warn({ action }, 'the model called a tool that does not exist');
      return Promise.resolve(
        JSON.stringify({ ok: false, error: `there is no tool named ${String(action)}` }),
      );
    },
  );

  app.feedbackLoop(feedbackHandler(options.feedbackStore, options.logger));
  app.conversationUpdate('membersAdded', welcomeWhenBotAdded);
  app.message(HELP_MESSAGE, sendWelcome);
  app.activity(
    ActivityTypes.Message,
    answerTurnHandler({
      app,
      feedbackStore: options.feedbackStore,
      logger: options.logger,
      clock: options.clock,
      streamImplementation: options.streamImplementation,
      streamBudget: options.streamBudget,
    }),
  );
  return app;
}
