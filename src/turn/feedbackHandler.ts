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
 * The `app.feedbackLoop` handler: stores every like and dislike with its comment. The store ties it to the rated
 * answer only when that answer was recorded in the same tenant and conversation by the time the feedback
 * arrives; otherwise the feedback is kept unlinked for good, so nobody can plant a comment next to another
 * conversation's answer (on the feedback page or in the CSV), not even one that does not exist yet. The Agents
 * Playground sends no `replyToId`; then the conversation's latest answer is the rated one.
 * It never throws, so Teams always gets its HTTP 200.
 */
export function feedbackHandler(store: FeedbackStore, logger: Logger) {
  return async (context: TurnContext, _state: TurnState, data: FeedbackLoopData): Promise<void> => {
    try {
      const scope = conversationScopeOf(context);
      const reaction: Reaction = data.actionValue?.reaction === 'dislike' ? 'dislike' : 'like';
      const messageId = data.replyToId || ((await store.latestAnswer(scope))?.messageId ?? null);
      const record = await store.recordFeedback({
        reaction,
        comment: feedbackComment(data.actionValue?.feedback),
        messageId,
        conversationId: scope.conversationId,
        tenantId: scope.tenantId,
        userId: requesterOf(context).userId,
      });
      logger.info({ feedbackId: record.id, reaction, messageId, linked: record.linked }, 'feedback stored');
    } catch (error) {
      logger.error({ err: error }, 'feedback could not be stored');
    }
  };
}
