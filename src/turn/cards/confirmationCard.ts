import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { ConfirmationItem, ConfirmationPrompt } from '../../surfaces';

/** The `verb` of the Confirm and Cancel buttons (Action.Execute), routed to the confirmation handler. */
export const CONFIRMATION_VERB = 'confirmPendingAction';

/**
 * What a Confirm or Cancel button sends back: only the id of the pending change and the decision. What the
 * change is comes from the bot's own record of it, never from the card.
 */
export interface ConfirmationButtonData {
  confirmationId: string;
  decision: 'confirm' | 'cancel';
}

/** The Adaptive Card JSON a confirmation shows or becomes. */
export type AdaptiveCardJson = { type: 'AdaptiveCard' } & Record<string, unknown>;

const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** One work item of a change: its heading, then a fact per field, "before → after". */
function itemElements(item: ConfirmationItem): Array<Record<string, unknown>> {
  return [
    { type: 'TextBlock', text: item.heading, weight: 'Bolder', wrap: true, spacing: 'Medium' },
    ...(item.fields.length > 0
      ? [
          {
            type: 'FactSet',
            spacing: 'Small',
            facts: item.fields.map((field) => ({
              title: field.label,
              value: `${field.before} → ${field.after}`,
            })),
          },
        ]
      : []),
  ];
}

/**
 * The card that asks the user to confirm a change to existing work items: per item, each field with its value
 * now and after, and Confirm / Cancel buttons (Action.Execute, so the card can be replaced by the outcome).
 */
export function buildConfirmationCard(prompt: ConfirmationPrompt): AdaptiveCardJson {
  const button = (title: string, decision: ConfirmationButtonData['decision'], style: string) => ({
    type: 'Action.Execute',
    title,
    verb: CONFIRMATION_VERB,
    style,
    data: { confirmationId: prompt.confirmationId, decision } satisfies ConfirmationButtonData,
  });
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body: [
      { type: 'TextBlock', text: prompt.title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: prompt.intro, wrap: true, isSubtle: true },
      ...prompt.items.flatMap(itemElements),
    ],
    actions: [
      button(prompt.confirmLabel, 'confirm', 'positive'),
      button(prompt.cancelLabel, 'cancel', 'destructive'),
    ],
  };
}

/**
 * The card a confirmation becomes once it was confirmed, cancelled or refused: the outcome and, when given,
 * the items with how each went; no buttons.
 */
export function buildConfirmationResultCard(
  title: string,
  outcome: string,
  items: readonly ConfirmationItem[] = [],
): AdaptiveCardJson {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body: [
      { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: outcome, wrap: true },
      ...items.flatMap(itemElements),
    ],
  };
}

/** Wraps card JSON as a message attachment. */
export function adaptiveCardAttachment(card: AdaptiveCardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}
