import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import { runInTurnScope, TurnUsage, type TokenUsage } from '../model';
import type { FeedbackStore, UserConversationStore } from '../storage';
import type { StreamBudget } from '../streaming';
import { type Clock, systemClock } from '../shared/time';
import { citedSources } from './answerCardHandler';
import { recordStoppedAnswer } from './stoppedAnswerHistory';
import { stateKeysOf } from './stateKeys';
import { conversationScopeOf, requesterOf, TurnSession } from './turnSession';
import {
  libraryTurnStream,
  type StreamImplementation,
  surfaceTurnStream,
  teamsTurnStream,
} from './turnStreams';

/** What answering a message needs. */
export interface AnswerTurnDependencies {
  app: Application<TurnState>;
  feedbackStore: FeedbackStore;
  /** Where it is recorded who talked in which conversation (for `npm run forget`). */
  userConversations?: UserConversationStore;
  logger: Logger;
  clock?: Clock;
  streamImplementation?: StreamImplementation;
  streamBudget?: Partial<StreamBudget>;
}

/**
 * The message handler: starts the turn's stream with a localized informative update, runs the AI system
 * (which reuses the stream through `state.temp.streamer`), makes sure a final message goes out whatever
 * happened, and records the answer so feedback on it can be tied to the question and its sources. A turn the
 * user stopped is kept in the history as what the user saw, marked as stopped.
 */
export function answerTurnHandler(deps: AnswerTurnDependencies) {
  const clock = deps.clock ?? systemClock;
  const startStream = deps.streamImplementation === 'library' ? libraryTurnStream : teamsTurnStream;
  return async (context: TurnContext, state: TurnState): Promise<void> => {
    const activity = context.activity;
    const question = (activity.text ?? '').trim();
    const logger = deps.logger.child({ conversationId: activity.conversation?.id, activityId: activity.id });

    const abortController = new AbortController();
    const usage = new TurnUsage();
    const streamOptions = {
      context,
      logger,
      clock,
      abortController,
      streamBudget: deps.streamBudget,
      sources: () => TurnSession.of(context)?.sources ?? [],
      usage: () => usage.total,
    };
    // Terminal and web turns stream token by token to their surface; Teams turns are paced for Teams.
    const turnStream = surfaceTurnStream(streamOptions) ?? startStream(streamOptions);
    const session = new TurnSession(
      turnStream.stream,
      conversationScopeOf(context),
      activity.locale,
      question,
      abortController,
    );
    TurnSession.attach(context, session);
    await noteUserConversation(deps, context, clock);
    state.temp.input = question;
    state.setValue('temp.streamer', turnStream.llmStreamer);
    state.setValue('temp.today', new Date(clock.now()).toISOString().slice(0, 10));

    try {
      await runInTurnScope({ signal: abortController.signal, usage }, () => deps.app.ai.run(context, state));
    } catch (error) {
      logger.error({ err: error }, 'the AI system failed');
      session.streamer.noteModelFailure(error);
    }
    const result = await turnStream.finish();
    state.deleteValue('temp.streamer');
    logger.info(
      { outcome: result.kind, channel: activity.channelId, usage: usage.total, modelCalls: usage.modelCalls },
      'answer finished',
    );

    if (result.kind === 'cancelled') {
      recordStoppedAnswer(state, question, result.shownText, translate(activity.locale, 'notice.stopped'));
      return;
    }
    if (result.messageId) {
      await recordAnswer(deps, context, session, result.messageId, result.text, usage.total);
    }
    await sendConfirmationCards(context, session, logger);
  };
}

/** Sends each confirmation card a tool asked for as its own message, after the answer that explains it. */
async function sendConfirmationCards(
  context: TurnContext,
  session: TurnSession,
  logger: Logger,
): Promise<void> {
  for (const card of session.confirmationCards) {
    try {
      await context.sendActivity({ type: 'message', attachments: [card] });
    } catch (error) {
      logger.error({ err: error }, 'a confirmation card could not be sent');
    }
  }
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
  session: TurnSession,
  messageId: string,
  answer: string,
  usage: TokenUsage,
): Promise<void> {
  try {
    await deps.feedbackStore.recordAnswer({
      messageId,
      conversationId: session.scope.conversationId,
      tenantId: session.scope.tenantId,
      userId: requesterOf(context).userId,
      question: session.question,
      answer,
      sources: citedSources(session, answer).map(({ position, title, url }) => ({
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
