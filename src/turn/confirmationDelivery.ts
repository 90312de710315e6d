import type { TurnContext } from 'botbuilder';
import type { Logger } from '../shared/logging';
import { surfaceTurnOf } from '../surfaces';
import { adaptiveCardAttachment, buildConfirmationCard } from './cards';
import { confirmationPrompt } from './confirmationPrompt';
import type { Turn } from './turn';

/**
 * Shows the user each change the turn's tools asked to confirm, after the answer that explains it: in Teams
 * and Copilot as an Adaptive Card message with Confirm / Cancel; on the terminal and web surfaces through
 * their sink, which renders the same prompt and answers it through the same confirmation handler.
 */
export async function offerConfirmations(context: TurnContext, turn: Turn, logger: Logger): Promise<void> {
  const surface = surfaceTurnOf(context);
  for (const pending of turn.confirmations) {
    const prompt = confirmationPrompt(pending, turn.locale);
    if (surface) {
      surface.sink.onConfirmation(prompt);
      continue;
    }
    try {
      await context.sendActivity({
        type: 'message',
        attachments: [adaptiveCardAttachment(buildConfirmationCard(prompt))],
      });
    } catch (error) {
      logger.error({ err: error, confirmationId: pending.id }, 'a confirmation card could not be sent');
    }
  }
}
