import { AI, type Application, type PromptCompletionModel, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Storage, type TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Logger } from '../shared/logging';
import { RecentActivityIds } from '../server/recentActivityIds';
import type { FeedbackStore, InboundActivityIds, OpenStreamStore, UserConversationStore } from '../storage';
import type { StreamBudget } from '../streaming';
import type { Clock } from '../shared/time';
import { noCheckpoint, type Checkpoint } from '../shared/scheduling';
import type { ArgumentValidator, Tool } from '../tools';
import { AnswerAdmission, type AnswerAdmissionLimits } from './answerAdmission';
import { answerTurnHandler, answerTurnOpener } from './answerTurn';
import { registerConfirmationHandler } from './confirmationHandler';
import { GatedApplication } from './gatedApplication';
import { TenantScopedTurnState } from './stateKeys';
import { admitTenant } from './tenantGate';
import { createPlanner } from './createPlanner';
import { feedbackHandler } from './feedbackHandler';
import { sayThroughTurnStream } from './sayCommand';
import { registerToolActions } from './toolActions';
import { currentTurn } from './turn';
import type { StreamImplementation } from './turnStreams';
import { HELP_MESSAGE, sendWelcome, welcomeWhenBotAdded } from './welcome';

/** What the Teams AI application is built from. */
export interface BotApplicationOptions {
  adapter: TeamsAdapter;
  botAppId: string | undefined;
  storage: Storage;
  model: PromptCompletionModel;
  /** The model or deployment name, for telemetry. */
  modelName?: string;
  offlineModel: boolean;
  promptsFolder: string;
  tools: readonly Tool[];
  toolValidators: ReadonlyMap<string, ArgumentValidator>;
  feedbackStore: FeedbackStore;
  /** Records who talked where, for `npm run forget`; optional for tests that do not need it. */
  userConversations?: UserConversationStore;
  /**
   * Where confirmations are claimed so that two presses at once apply a change once: the database's shared
   * inbound activity ids (every process and instance); in memory (this process only) when left out.
   */
  confirmationClaims?: InboundActivityIds;
  /** ALLOWED_TENANTS (lower-case GUIDs); undefined accepts every tenant. */
  allowedTenants?: readonly string[];
  logger: Logger;
  clock?: Clock;
  /** Which streamer answers; 'library' (teams-ai's stock one) is for the benchmark only. */
  streamImplementation?: StreamImplementation;
  /** Overrides of the stream's time and size limits (tests). */
  streamBudget?: Partial<StreamBudget>;
  /** Where open Teams streams are recorded, so another process can close them after a crash (none: not recorded). */
  openStreams?: OpenStreamStore;
  /** Where admitted turns give way to new arrivals (see FairShare); default: they never wait. */
  checkpoint?: Checkpoint;
  /** Admission control (answers at once, rate limits per user and conversation); default: no limits. */
  answerAdmission?: AnswerAdmission;
}

/** No admission limits (tests that build the application alone). */
const UNLIMITED_ADMISSION: AnswerAdmissionLimits = {
  maxAnswersInProgress: Number.POSITIVE_INFINITY,
  perUser: undefined,
  perConversation: undefined,
};

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
    modelName: options.modelName,
  });
  const openTurn = answerTurnOpener({
    logger: options.logger,
    clock: options.clock,
    streamImplementation: options.streamImplementation,
    streamBudget: options.streamBudget,
    openStreams: options.openStreams,
  });
  const app = new GatedApplication(
    {
      adapter: options.adapter,
      botAppId: options.botAppId,
      storage: options.storage,
      turnStateFactory: () => new TenantScopedTurnState(),
      // Typing indicators between streaming updates would interleave with the stream.
      startTypingTimer: false,
      removeRecipientMention: true,
      ai: { planner, enable_feedback_loop: true },
    },
    {
      // Before state is loaded and before any handler: another tenant gets no answer and no model call. The
      // allow-list is for Teams traffic (this adapter); the in-process surfaces (terminal, web chat) have their
      // own authentication and tenant, and are recognised by their adapter, which a request cannot fake.
      gate: (context) =>
        admitTenant(
          context,
          context.adapter === options.adapter ? options.allowedTenants : undefined,
          options.logger,
        ),
      // Every message except a help request is answered by the message handler below.
      answers: (context) => !HELP_MESSAGE.test(context.activity.text ?? ''),
      openAnswer: openTurn,
      answerAdmission: options.answerAdmission ?? new AnswerAdmission(UNLIMITED_ADMISSION, options.clock),
      checkpoint: options.checkpoint ?? noCheckpoint,
      logger: options.logger,
    },
  );

  registerToolActions(app, options.tools, options.toolValidators, options.logger, options.clock);
  registerConfirmationHandler(app, options.tools, {
    logger: options.logger,
    claims: options.confirmationClaims ?? new RecentActivityIds({ clock: options.clock }),
    clock: options.clock,
  });
  app.ai.action(AI.HttpErrorActionName, (_context: TurnContext, _state: TurnState, error: unknown) => {
    // The AI system ends here on any failure; the turn then sends the polite final message.
    options.logger.warn({ err: error }, 'the AI system stopped on an error');
    currentTurn()?.recordFailure(error);
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

  // teams-ai's default SAY compares channelId === 'msteams'; the bot's own sends through the turn's stream.
  app.ai.action(AI.SayCommandActionName, sayThroughTurnStream(options.logger));

  // teams-ai 1.7.4's feedbackLoop route matches the invoke by type, name and actionName only (no channel
  // check, unlike its teamsReadReceipt, Messages and TaskModules routes), so msteams:Copilot feedback reaches it.
  app.feedbackLoop(feedbackHandler(options.feedbackStore, options.logger));
  app.conversationUpdate('membersAdded', welcomeWhenBotAdded);
  app.message(HELP_MESSAGE, sendWelcome);
  app.activity(
    ActivityTypes.Message,
    answerTurnHandler({
      app,
      feedbackStore: options.feedbackStore,
      userConversations: options.userConversations,
      logger: options.logger,
      clock: options.clock,
      openTurn,
    }),
  );
  return app;
}
