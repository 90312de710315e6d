import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import type { TurnContext } from 'botbuilder';
import { buildAnswerCard, suggestFollowUps, type CardSource } from './cards';
import { citedPositions } from '../streaming';
import { currentTurn, type Turn } from './turn';

/**
 * The planner's `endStreamHandler`: when a model call ends with an answer (not a tool call), attaches the
 * Adaptive Card with the sources the answer cited, the tools that ran and follow-up questions to the final
 * message. teams-ai calls it synchronously and without awaiting it, so it does only synchronous work.
 */
export function answerCardHandler(options: { offlineModel: boolean }) {
  return (_context: TurnContext, _memory: unknown, response: PromptResponse<string>): void => {
    const turn = currentTurn();
    if (!turn || response.status !== 'success' || response.message?.action_calls?.length) return;
    const sources = citedSources(turn, turn.stream.getMessage());
    const toolsUsed = [...turn.toolsUsed];
    const followUps = suggestFollowUps({ locale: turn.locale, sources, toolsUsed });
    turn.stream.setAttachments([
      buildAnswerCard({
        locale: turn.locale,
        sources,
        toolsUsed,
        followUps,
        offlineModel: options.offlineModel,
      }),
    ]);
  };
}

/** The turn's sources that the answer text actually cites, in citation order. */
export function citedSources(turn: Pick<Turn, 'sources'>, text: string): CardSource[] {
  const cited = new Set(citedPositions(text));
  return turn.sources
    .filter((source) => cited.has(source.position))
    .map((source) => ({
      position: source.position,
      title: source.title,
      snippet: source.text,
      ...(source.url ? { url: source.url } : {}),
    }));
}
