import type { PredictedSayCommand, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../shared/logging';
import { currentTurn } from './turn';

/**
 * The bot's SAY action, replacing teams-ai's default (`actions/SayCommand.js`). That default decides with
 * `channelId === 'msteams'` whether to add the Teams channelData (the feedback buttons) and `<br>` line breaks,
 * so on Microsoft 365 Copilot Chat (`msteams:Copilot`) it would send an answer without feedback buttons,
 * outside the turn's stream. Here a SAY's text goes into the turn's stream instead, whose final message
 * carries the AI label, citations, card and feedback flag for every channel alike (see turnStreams.ts).
 *
 * With the streaming model LLMClient removes the answer from the response after streaming it, so SAY arrives
 * empty and does nothing; it carries text only when a model answered without streaming. Outside a message
 * turn (no turn; this bot runs the AI system only from its message handler) the text is sent as it is.
 */
export function sayThroughTurnStream(logger: Logger) {
  return async (context: TurnContext, _state: TurnState, data: PredictedSayCommand): Promise<string> => {
    const content: unknown = data.response?.content;
    if (content === undefined || content === null || content === '') return '';
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    const turn = currentTurn();
    if (turn) {
      turn.stream.queueTextChunk(text);
      return '';
    }
    logger.warn('a SAY command arrived outside a message turn; sending it as a plain message');
    await context.sendActivity(text);
    return '';
  };
}
