import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import type { TurnContext } from 'botbuilder';
import { buildAnswerCard, suggestFollowUps, type CardSource } from './cards';
import { citedPositions } from '../streaming';
import { TurnSession } from './turnSession';

/**
 * The planner's `endStreamHandler`: when a model call ends with an answer (not a tool call), attaches the
 * Adaptive Card with the sources the answer cited, the tools that ran and follow-up questions to the final
 * message. teams-ai calls it synchronously and without awaiting it, so it does only synchronous work.
 */
export function answerCardHandler(options: { offlineModel: boolean }) {
  return (context: TurnContext, _memory: unknown, response: PromptResponse<string>): void => {
    const session = TurnSession.of(context);
    if (!session || response.status !== 'success' || response.message?.action_calls?.length) return;
    const sources = citedSources(session, session.streamer.getMessage());
    const toolsUsed = [...session.toolsUsed];
    const followUps = suggestFollowUps({ locale: session.locale, sources, toolsUsed });
    session.streamer.setAttachments([
      buildAnswerCard({
        locale: session.locale,
        sources,
        toolsUsed,
        followUps,
        offlineModel: options.offlineModel,
      }),
    ]);
  };
}

/** The turn's sources that the answer text actually cites, in citation order. */
export function citedSources(session: TurnSession, text: string): CardSource[] {
  const cited = new Set(citedPositions(text));
  return session.sources
    .filter((source) => cited.has(source.position))
    .map((source) => ({
      position: source.position,
      title: source.title,
      snippet: source.text,
      ...(source.url ? { url: source.url } : {}),
    }));
}
