import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { buildConfirmationResultCard, CONFIRMATION_VERB, type ConfirmationButtonData } from './cards';
import { isMessageKey, translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import { type Clock, systemClock } from '../shared/time';
import type { Tool } from '../tools';
import { findPendingConfirmation, removePendingConfirmation } from './pendingConfirmations';
import { conversationScopeOf, requesterOf } from './requester';

/** The card title of a confirmation for `tool` with `count` changes, in the user's language. */
export function confirmationTitle(locale: string | undefined, tool: string, count: number): string {
  const key = `confirm.title.${tool}`;
  return isMessageKey(key) ? translate(locale, key, { count: String(count) }) : tool;
}

/**
 * Handles the Confirm and Cancel buttons of confirmation cards (Action.Execute). A confirmation is applied
 * only when it is still pending in this conversation, belongs to this tenant and conversation, was asked
 * for by the user who pressed the button, and has not expired; the change then runs in that same scope.
 * The card is replaced by the outcome; another user's press is refused with a message and changes nothing.
 */
export function registerConfirmationHandler(
  app: Application<TurnState>,
  tools: readonly Tool[],
  logger: Logger,
  clock: Clock = systemClock,
): void {
  app.adaptiveCards.actionExecute<Partial<ConfirmationButtonData>>(
    CONFIRMATION_VERB,
    async (context: TurnContext, state: TurnState, data): Promise<AdaptiveCard | string> => {
      const locale = context.activity.locale;
      const id = typeof data.confirmationId === 'string' ? data.confirmationId : '';
      const pending = findPendingConfirmation(state, id);
      const scope = conversationScopeOf(context);
      const requester = requesterOf(context);
      const log = logger.child({ confirmationId: id, conversationId: scope.conversationId });
      if (
        !pending ||
        pending.tenantId !== scope.tenantId ||
        pending.conversationId !== scope.conversationId
      ) {
        log.info('a confirmation that is not pending here was pressed');
        return buildConfirmationResultCard(translate(locale, 'confirm.unknown'), '');
      }
      const title = confirmationTitle(locale, pending.tool, pending.changes.length);
      if (pending.userId !== requester.userId) {
        log.warn({ userId: requester.userId }, 'another user tried to answer a confirmation; refused');
        return translate(locale, 'confirm.notRequester');
      }
      removePendingConfirmation(state, id);
      if (clock.now() > pending.expiresAt) {
        log.info('an expired confirmation was pressed; nothing changed');
        return buildConfirmationResultCard(title, translate(locale, 'confirm.expired'), pending.changes);
      }
      if (data.decision !== 'confirm') {
        log.info('a confirmation was cancelled; nothing changed');
        return buildConfirmationResultCard(title, translate(locale, 'confirm.cancelled'), pending.changes);
      }
      const tool = tools.find((candidate) => candidate.name === pending.tool);
      if (!tool?.applyConfirmed) {
        log.error({ tool: pending.tool }, 'a confirmation names a tool that cannot apply it');
        return buildConfirmationResultCard(title, translate(locale, 'confirm.unknown'));
      }
      let lines: string[];
      try {
        lines = await tool.applyConfirmed(pending.payload, {
          scope: { tenantId: pending.tenantId, conversationId: pending.conversationId },
          userId: pending.userId,
        });
      } catch (error) {
        log.error({ err: error, tool: pending.tool }, 'a confirmed change failed');
        return buildConfirmationResultCard(title, translate(locale, 'error.generic'), pending.changes);
      }
      log.info({ tool: pending.tool, changes: lines.length }, 'a confirmed change was applied');
      return buildConfirmationResultCard(title, translate(locale, 'confirm.done'), lines);
    },
  );
}
