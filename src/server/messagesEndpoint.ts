import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Logger } from '../logging';
import { answerCarriesTurnResult, EarlyAcknowledgingResponse } from './earlyAcknowledgement';
import type { InFlightTurns } from './inFlightTurns';
import type { RecentActivityIds } from './recentActivityIds';

/** What the `POST /api/messages` handler needs. */
export interface MessagesEndpointOptions {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  logger: Logger;
  /** Recognises retries of an activity that was already processed. */
  recentActivities: RecentActivityIds;
  /** Tracks turns that keep running after their request was answered. */
  turns: InFlightTurns;
}

/**
 * The handler of `POST /api/messages`. The adapter authenticates the request and runs the turn; as soon as
 * the turn starts, a non-invoke activity is answered 200 and the turn goes on in the background (Teams
 * gives the request only ~15 s). Invokes are answered with the handler's invoke response when the turn ends.
 * A repeat of an activity seen in the last minutes (a Bot Service retry) is answered 200 and not processed.
 * The handler resolves once the request has been answered; errors of a background turn are logged.
 */
export function createMessagesHandler(
  options: MessagesEndpointOptions,
): (req: Request, res: Response) => Promise<void> {
  const { adapter, app, logger, recentActivities, turns } = options;

  async function runTurn(context: TurnContext, response: EarlyAcknowledgingResponse): Promise<void> {
    const { activity } = context;
    // Checked here, after authentication: an unauthenticated request must not be able to suppress a real one.
    if (recentActivities.markSeen(activity.conversation?.id, activity.id)) {
      logger.info(
        { activityId: activity.id, conversationId: activity.conversation?.id, activityType: activity.type },
        'a repeated inbound activity was acknowledged and not processed again',
      );
      response.acknowledge();
      return;
    }
    if (!answerCarriesTurnResult(activity)) response.acknowledge();
    await app.run(context);
  }

  return async (req, res) => {
    const response = new EarlyAcknowledgingResponse(res);
    const finished = turns
      .run(() => adapter.process(req, response, (context) => runTurn(context, response)))
      .then(
        () => reportIgnoredAnswer(response, logger),
        (error: unknown) => {
          logger.error({ err: error }, 'an inbound activity could not be processed');
          if (!response.acknowledged && !res.headersSent) res.send(500);
        },
      );
    await Promise.race([response.answered, finished]);
  };
}

/**
 * The adapter catches a failing turn itself and then writes 500 with the error's message; after an early
 * acknowledgement nobody would see that answer, so it is logged here.
 */
function reportIgnoredAnswer(response: EarlyAcknowledgingResponse, logger: Logger): void {
  const { status, body } = response.ignored;
  if (status !== undefined && status >= 400) {
    logger.error({ status, body }, 'a turn that continued after its request was acknowledged failed');
  }
}
