import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { buildConfirmationResultCard, CONFIRMATION_VERB, type ConfirmationButtonData } from './cards';
import { translate, type MessageKey } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import { type Clock, systemClock } from '../shared/time';
import type { InboundActivityIds } from '../storage';
import type { AppliedItemChange, Tool } from '../tools';
import { confirmationItems, confirmationTitle } from './confirmationPrompt';
import { findPendingConfirmation, removePendingConfirmation } from './pendingConfirmations';
import { conversationScopeOf, requesterOf } from './requester';

/** What the confirmation handler needs besides the tools. */
export interface ConfirmationHandlerOptions {
  logger: Logger;
  /**
   * Where a confirmation is claimed before it is answered, atomically across processes and instances (the
   * inbound activity ids: of two presses at once, exactly one gets through), so a double press applies once.
   */
  claims: InboundActivityIds;
  clock?: Clock;
}

/** The outcome line of a confirmed change: done, partly done, or nothing done. */
function outcomeKey(results: readonly AppliedItemChange[]): MessageKey {
  const applied = results.filter((entry) => entry.result === 'applied').length;
  if (applied === results.length) return 'confirm.done';
  return applied === 0 ? 'confirm.nothingApplied' : 'confirm.partial';
}

/**
 * Handles Confirm and Cancel of a pending change (Action.Execute of the confirmation card in Teams and
 * Copilot; the terminal and the web chat send the same invoke through the in-process channel). The button
 * carries only the change's id: the change applied is the one recorded in the conversation state when it was
 * proposed. It is answered only when it is still pending in this conversation, belongs to this tenant and
 * conversation, was asked for by the user who answers, and is claimed by this press (two presses at once:
 * one wins); then it is removed, so it never applies twice, and an expired one is refused. Confirm applies
 * it in that same scope. The card is replaced by the outcome; another user's press is refused with a message
 * and changes nothing.
 */
export function registerConfirmationHandler(
  app: Application<TurnState>,
  tools: readonly Tool[],
  options: ConfirmationHandlerOptions,
): void {
  const { logger, claims } = options;
  const clock = options.clock ?? systemClock;
  app.adaptiveCards.actionExecute<Partial<ConfirmationButtonData>>(
    CONFIRMATION_VERB,
    async (context: TurnContext, state: TurnState, data): Promise<AdaptiveCard | string> => {
      const locale = context.activity.locale;
      const id = typeof data.confirmationId === 'string' ? data.confirmationId : '';
      const pending = findPendingConfirmation(state, id);
      const scope = conversationScopeOf(context);
      const requester = requesterOf(context);
      const log = logger.child({ confirmationId: id, conversationId: scope.conversationId });
      const unknown = () => buildConfirmationResultCard(translate(locale, 'confirm.unknown'), '');
      if (
        !pending ||
        pending.tenantId !== scope.tenantId ||
        pending.conversationId !== scope.conversationId
      ) {
        log.info('a confirmation that is not pending here was pressed');
        return unknown();
      }
      const title = confirmationTitle(locale, pending.tool, pending.changes.length);
      const items = confirmationItems(locale, pending.changes);
      if (pending.userId !== requester.userId) {
        log.warn({ userId: requester.userId }, 'another user tried to answer a confirmation; refused');
        return translate(locale, 'confirm.notRequester');
      }
      let repeated: boolean;
      try {
        repeated = await claims.markSeen(pending.conversationId, `confirmation:${pending.id}`);
      } catch (error) {
        log.error({ err: error }, 'a confirmation could not be claimed; nothing changed');
        return buildConfirmationResultCard(title, translate(locale, 'error.generic'), items);
      }
      if (repeated) {
        log.info('a confirmation already answered by another press was pressed again');
        return unknown();
      }
      removePendingConfirmation(state, id);
      if (clock.now() > pending.expiresAt) {
        log.info('an expired confirmation was pressed; nothing changed');
        return buildConfirmationResultCard(title, translate(locale, 'confirm.expired'), items);
      }
      if (data.decision !== 'confirm') {
        log.info('a confirmation was cancelled; nothing changed');
        return buildConfirmationResultCard(title, translate(locale, 'confirm.cancelled'), items);
      }
      const tool = tools.find((candidate) => candidate.name === pending.tool);
      if (!tool?.applyConfirmed) {
        log.error({ tool: pending.tool }, 'a confirmation names a tool that cannot apply it');
        return unknown();
      }
      let results: AppliedItemChange[];
      try {
        results = await tool.applyConfirmed(pending.changes, {
          scope: { tenantId: pending.tenantId, conversationId: pending.conversationId },
          userId: pending.userId,
        });
      } catch (error) {
        log.error({ err: error, tool: pending.tool }, 'a confirmed change failed');
        return buildConfirmationResultCard(title, translate(locale, 'error.generic'), items);
      }
      log.info(
        {
          tool: pending.tool,
          applied: results.filter((entry) => entry.result === 'applied').length,
          skipped: results.filter((entry) => entry.result !== 'applied').length,
        },
        'a confirmed change was applied',
      );
      const applied = confirmationItems(
        locale,
        results.map((entry) => entry.change),
        (_change, index) => {
          const result = results[index]?.result ?? 'missing';
          return translate(locale, `confirm.item.${result}`);
        },
      );
      return buildConfirmationResultCard(title, translate(locale, outcomeKey(results)), applied);
    },
  );
}
