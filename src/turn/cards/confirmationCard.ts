import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';

/** The `verb` of the Confirm and Cancel buttons (Action.Execute), routed to the confirmation handler. */
export const CONFIRMATION_VERB = 'confirmPendingAction';

/** What a Confirm or Cancel button sends back. */
export interface ConfirmationButtonData {
  confirmationId: string;
  decision: 'confirm' | 'cancel';
}

/** The texts of a confirmation card, already localized. */
export interface ConfirmationCardInput {
  confirmationId: string;
  title: string;
  intro: string;
  /** One line per change that Confirm would make. */
  changes: readonly string[];
  confirmLabel: string;
  cancelLabel: string;
}

/** The Adaptive Card JSON a confirmation shows or becomes. */
export type AdaptiveCardJson = { type: 'AdaptiveCard' } & Record<string, unknown>;

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/**
 * The card that asks the user to confirm a destructive change: what will change, one line per item, and
 * Confirm / Cancel buttons (Action.Execute, so the card can be replaced by the result).
 */
export function buildConfirmationCard(input: ConfirmationCardInput): AdaptiveCardJson {
  const button = (title: string, decision: ConfirmationButtonData['decision'], style: string) => ({
    type: 'Action.Execute',
    title,
    verb: CONFIRMATION_VERB,
    style,
    data: { confirmationId: input.confirmationId, decision } satisfies ConfirmationButtonData,
  });
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body: [
      { type: 'TextBlock', text: input.title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: input.intro, wrap: true, isSubtle: true },
      ...input.changes.map((change) => ({
        type: 'TextBlock',
        text: `• ${change}`,
        wrap: true,
        spacing: 'Small',
      })),
    ],
    actions: [
      button(input.confirmLabel, 'confirm', 'positive'),
      button(input.cancelLabel, 'cancel', 'destructive'),
    ],
  };
}

/** The card a confirmation becomes once it was confirmed, cancelled or refused: the outcome, no buttons. */
export function buildConfirmationResultCard(
  title: string,
  outcome: string,
  lines: readonly string[] = [],
): AdaptiveCardJson {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: outcome, wrap: true },
      ...lines.map((line) => ({ type: 'TextBlock', text: `• ${line}`, wrap: true, spacing: 'Small' })),
    ],
  };
}

/** Wraps card JSON as a message attachment. */
export function adaptiveCardAttachment(card: AdaptiveCardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}
