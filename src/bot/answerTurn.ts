import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { translate } from '../i18n';
import type { Logger } from '../logging';
import { runWithTurnSignal } from '../model';
import type { FeedbackStore } from '../storage';
import { type StreamMode, TeamsStreamer } from '../streaming';
import { type Clock, systemClock } from '../time';
import { citedSources } from './answerCardHandler';
import { conversationScopeOf, TurnSession } from './turnSession';

/** What answering a message needs. */
export interface AnswerTurnDependencies {
  app: Application<TurnState>;
  feedbackStore: FeedbackStore;
  logger: Logger;
  clock?: Clock;
}

/**
 * Teams streams only in 1:1 chats; group chats and channels refuse it, so they get one final message.
 */
export function streamModeOf(context: TurnContext): StreamMode {
  const { channelId, conversation } = context.activity;
  return channelId === 'msteams' && conversation?.conversationType === 'personal' ? 'stream' : 'single';
}

/**
 * The message handler: starts the turn's stream with a localized informative update, runs the AI system
 * (which reuses the stream through `state.temp.streamer`), makes sure a final message goes out whatever
 * happened, and records the answer so feedback on it can be tied to the question and its sources.
 */
export function answerTurnHandler(deps: AnswerTurnDependencies) {
  const clock = deps.clock ?? systemClock;
  return async (context: TurnContext, state: TurnState): Promise<void> => {
    const activity = context.activity;
    const question = (activity.text ?? '').trim();
    const locale = activity.locale;
    const logger = deps.logger.child({ conversationId: activity.conversation?.id, activityId: activity.id });

    const abortController = new AbortController();
    const sources = () => TurnSession.of(context)?.sources ?? [];
    const streamer = new TeamsStreamer({
      context,
      mode: streamModeOf(context),
      logger,
      sources,
      clock,
      onCancelled: () => abortController.abort(),
      partialNotice: translate(locale, 'notice.partial'),
      failureText: translate(locale, 'error.model'),
    });
    const session = new TurnSession(
      streamer,
      conversationScopeOf(context),
      locale,
      question,
      abortController,
    );
    TurnSession.attach(context, session);
    streamer.setFeedbackLoop(true);
    streamer.setGeneratedByAILabel(true);
    streamer.queueInformativeUpdate(translate(locale, 'informative.start'));
    state.temp.input = question;
    state.setValue('temp.streamer', streamer);
    state.setValue('temp.today', new Date(clock.now()).toISOString().slice(0, 10));

    try {
      await runWithTurnSignal(abortController.signal, () => deps.app.ai.run(context, state));
    } catch (error) {
      logger.error({ err: error }, 'the AI system failed');
      streamer.noteModelFailure(error);
    }
    const outcome = await streamer.endStream();
    state.deleteValue('temp.streamer');
    logger.info({ outcome: outcome.kind, streamId: streamer.streamId }, 'answer finished');

    if (outcome.kind !== 'cancelled' && outcome.messageId) {
      recordAnswer(deps, context, session, outcome.messageId, outcome.text);
    }
  };
}

function recordAnswer(
  deps: AnswerTurnDependencies,
  context: TurnContext,
  session: TurnSession,
  messageId: string,
  answer: string,
): void {
  try {
    deps.feedbackStore.recordAnswer({
      messageId,
      conversationId: session.scope.conversationId,
      tenantId: session.scope.tenantId,
      userId: context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'unknown',
      question: session.question,
      answer,
      sources: citedSources(session, answer).map(({ position, title, url }) => ({
        position,
        title,
        ...(url ? { url } : {}),
      })),
      createdAt: new Date((deps.clock ?? systemClock).now()).toISOString(),
    });
  } catch (error) {
    deps.logger.error({ err: error, messageId }, 'the answer could not be recorded for feedback');
  }
}
