import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import type { TokenUsage } from '../model';
import { TurnTelemetry } from '../observability';
import type { FeedbackStore, OpenStreamStore, UserConversationStore } from '../storage';
import type { StreamBudget } from '../streaming';
import { type Clock, systemClock } from '../shared/time';
import { citedSources } from './answerCardHandler';
import { offerConfirmations } from './confirmationDelivery';
import { recordStoppedAnswer } from './stoppedAnswerHistory';
import { stateKeysOf } from './stateKeys';
import { conversationScopeOf, requesterOf } from './requester';
import { takeOpenedTurn } from './openedTurns';
import { runTurn, Turn } from './turn';
import {
  libraryTurnStream,
  type StreamImplementation,
  surfaceTurnStream,
  teamsTurnStream,
  type TurnStreamOptions,
} from './turnStreams';

/** What an answer turn's stream is made with. */
export interface TurnOpeningOptions {
  logger: Logger;
  clock?: Clock;
  streamImplementation?: StreamImplementation;
  streamBudget?: Partial<StreamBudget>;
  /** Where open Teams streams are recorded, so another process can close them after a crash. */
  openStreams?: OpenStreamStore;
}

/**
 * Opens the turn of a message that will be answered: a `Turn` whose stream sends the localized informative
 * update at once. The application calls it right after the tenant gate, ahead of state loading, prompt
 * rendering and tokenizing, and leaves the turn in the context, where the message handler takes it.
 */
export function answerTurnOpener(options: TurnOpeningOptions): (context: TurnContext) => Turn {
  const clock = options.clock ?? systemClock;
  const startStream = options.streamImplementation === 'library' ? libraryTurnStream : teamsTurnStream;
  return (context) => {
    const activity = context.activity;
    const logger = options.logger.child({
      conversationId: activity.conversation?.id,
      activityId: activity.id,
    });
    // Started first: the informative update the stream sends at once is timed from here.
    const telemetry = TurnTelemetry.start(context, clock);
    return new Turn({
      telemetry,
      scope: conversationScopeOf(context),
      locale: activity.locale,
      question: (activity.text ?? '').trim(),
      logger,
      openStream: (self) => {
        const streamOptions: TurnStreamOptions = {
          context,
          logger,
          clock,
          turn: self,
          streamBudget: options.streamBudget,
          openStreams: options.openStreams,
        };
        // Terminal and web turns stream token by token to their surface; Teams turns are paced for Teams.
        return surfaceTurnStream(streamOptions) ?? startStream(streamOptions);
      },
    });
  };
}

/** What answering a message needs. */
export interface AnswerTurnDependencies {
  app: Application<TurnState>;
  feedbackStore: FeedbackStore;
  /** Where it is recorded who talked in which conversation (for `npm run forget`). */
  userConversations?: UserConversationStore;
  logger: Logger;
  clock?: Clock;
  /** Opens a turn when the application did not open one already (see `answerTurnOpener`). */
  openTurn: (context: TurnContext) => Turn;
}

/**
 * The message handler: answers in the turn the application opened for this activity (or opens it now) and
 * runs the answer inside it, so everything below finds the turn with `currentTurn()`.
 */
export function answerTurnHandler(deps: AnswerTurnDependencies) {
  const clock = deps.clock ?? systemClock;
  return async (context: TurnContext, state: TurnState): Promise<void> => {
    const turn = takeOpenedTurn(context) ?? deps.openTurn(context);
    await runTurn(turn, () => answer(deps, turn, context, state, clock));
  };
}

/**
 * Runs the AI system (LLMClient reuses the turn's stream through `state.temp.streamer`, teams-ai's own
 * protocol), then has the turn send the final message once, knowing whether anything failed, and records
 * the answer so feedback on it can be tied to the question and its sources. A turn the user stopped is kept
 * in the history as what the user saw, marked as stopped.
 */
async function answer(
  deps: AnswerTurnDependencies,
  turn: Turn,
  context: TurnContext,
  state: TurnState,
  clock: Clock,
): Promise<void> {
  const { activity } = context;
  const { logger, usage } = turn;
  await noteUserConversation(deps, context, clock);
  state.temp.input = turn.question;
  state.setValue('temp.streamer', turn.llmStreamer);
  state.setValue('temp.today', new Date(clock.now()).toISOString().slice(0, 10));

  try {
    await deps.app.ai.run(context, state);
  } catch (error) {
    logger.error({ err: error }, 'the AI system failed');
    turn.recordFailure(error);
  }
  const result = await turn.finish();
  state.deleteValue('temp.streamer');
  logger.info(
    {
      outcome: result.kind,
      ...(result.kind === 'completed' && result.rolledOver ? { rolledOver: result.rolledOver } : {}),
      channel: activity.channelId,
      usage: usage.total,
      modelCalls: usage.modelCalls,
    },
    'answer finished',
  );

  if (result.kind === 'cancelled') {
    recordStoppedAnswer(state, turn.question, result.shownText, translate(activity.locale, 'notice.stopped'));
    return;
  }
  if (result.messageId) {
    await recordAnswer(deps, context, turn, result.messageId, result.text, usage.total);
  }
  await offerConfirmations(context, turn, logger);
}

/** Records that the sender talked in this conversation, with the state keys that hold their data. */
async function noteUserConversation(
  deps: AnswerTurnDependencies,
  context: TurnContext,
  clock: Clock,
): Promise<void> {
  if (!deps.userConversations) return;
  const requester = requesterOf(context);
  const scope = conversationScopeOf(context);
  const keys = stateKeysOf(context.activity);
  try {
    await deps.userConversations.note({
      userId: requester.userId,
      tenantId: scope.tenantId,
      conversationId: scope.conversationId,
      conversationType: requester.conversationType,
      conversationStateKey: keys.conversation,
      userStateKey: keys.user,
      lastSeenAt: new Date(clock.now()).toISOString(),
    });
  } catch (error) {
    deps.logger.error({ err: error }, 'could not record where the user talked to the bot');
  }
}

async function recordAnswer(
  deps: AnswerTurnDependencies,
  context: TurnContext,
  turn: Turn,
  messageId: string,
  answer: string,
  usage: TokenUsage,
): Promise<void> {
  try {
    await deps.feedbackStore.recordAnswer({
      messageId,
      conversationId: turn.scope.conversationId,
      tenantId: turn.scope.tenantId,
      userId: requesterOf(context).userId,
      question: turn.question,
      answer,
      sources: citedSources(turn, answer).map(({ position, title, url }) => ({
        position,
        title,
        ...(url ? { url } : {}),
      })),
      createdAt: new Date((deps.clock ?? systemClock).now()).toISOString(),
      usage,
    });
  } catch (error) {
    deps.logger.error({ err: error, messageId }, 'the answer could not be recorded for feedback');
  }
}
