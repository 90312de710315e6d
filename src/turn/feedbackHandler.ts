import type { FeedbackLoopData, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../shared/logging';
import type { FeedbackStore, Reaction } from '../storage';
import { conversationScopeOf, requesterOf } from './requester';

/**
 * Reads the comment of a feedback submission. Real Teams sends a JSON string such as
 * `{"feedbackText":"..."}`; the Agents Playground sends the plain text.
 */
export function feedbackComment(feedback: unknown): string {
  if (typeof feedback !== 'string') return '';
  const trimmed = feedback.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { feedbackText?: unknown };
      if (typeof parsed.feedbackText === 'string') return parsed.feedbackText.trim();
    } catch {
      // Not JSON after all: keep the text as the user wrote it.
    }
  }
  return trimmed;
}

/**
 * The `app.feedbackLoop` handler: stores every like and dislike with its comment, tied to the rated
 * answer. The Agents Playground sends no `replyToId`; then the conversation's latest answer is the rated one.
 * It never throws, so Teams always gets its HTTP 200.
 */
export function feedbackHandler(store: FeedbackStore, logger: Logger) {
  return async (context: TurnContext, _state: TurnState, data: FeedbackLoopData): Promise<void> => {
    try {
      const { tenantId, conversationId } = conversationScopeOf(context);
      const reaction: Reaction = data.actionValue?.reaction === 'dislike' ? 'dislike' : 'like';
      const messageId = await ratedMessageId(store, data.replyToId, { tenantId, conversationId });
      const record = await store.recordFeedback({
        reaction,
        comment: feedbackComment(data.actionValue?.feedback),
        messageId,
        conversationId,
        tenantId,
        userId: requesterOf(context).userId,
      });
      logger.info({ feedbackId: record.id, reaction, messageId }, 'feedback stored');
    } catch (error) {
      logger.error({ err: error }, 'feedback could not be stored');
    }
  };
}

/**
 * The answer the feedback rates: the replied-to message, or the conversation's latest answer. Feedback is
 * tied to an answer only when that answer belongs to the same tenant and conversation, so nobody can attach
 * their feedback to (or, through the feedback page, pull next to theirs) another conversation's answer.
 */
async function ratedMessageId(
  store: FeedbackStore,
  replyToId: string | undefined,
  scope: { tenantId: string; conversationId: string },
): Promise<string | null> {
  const answer = replyToId
    ? await store.getAnswer(replyToId)
    : await store.latestAnswer(scope.conversationId);
  if (!answer) return replyToId || null;
  return answer.tenantId === scope.tenantId && answer.conversationId === scope.conversationId
    ? answer.messageId
    : null;
}
