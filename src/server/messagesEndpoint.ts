import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Logger } from '../shared/logging';
import type { ServiceUrlAllowList } from './security';
import { answerCarriesTurnResult, EarlyAcknowledgingResponse } from './earlyAcknowledgement';
import { checkInboundActivity, isKnownActivityType } from './inboundActivity';
import type { InFlightTurns } from './inFlightTurns';
import type { InboundActivityIds } from '../storage/inboundActivityIds';

/** What the `POST /api/messages` handler needs. */
export interface MessagesEndpointOptions {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  logger: Logger;
  /** Recognises retries of an activity that was already processed (shared by every process on the database). */
  recentActivities: InboundActivityIds;
  /** Tracks turns that keep running after their request was answered. */
  turns: InFlightTurns;
  /** The hosts the bot may answer at; an activity naming another serviceUrl is refused with 403. */
  allowList: ServiceUrlAllowList;
}

/**
 * The handler of `POST /api/messages` (after the JSON body parser). A body that is not an activity the bot
 * can read (wrong or missing fields, values over the limits) is answered 400 before anything else. The
 * adapter then authenticates the request (401 when the token is missing or invalid) and runs the turn;
 * after authentication:
 * - an activity whose serviceUrl is not on the allow-list is answered 403 and gets no reply (see docs/security.md:
 *   a 403 shows up in the Azure Bot's channel errors, a 200 would hide the lost message);
 * - an activity type outside the Bot Framework schema is answered 200 and ignored;
 * - a repeat of an activity seen in the last minutes (a Bot Service retry) is answered 200 and not processed;
 * - otherwise, as soon as the turn starts, a non-invoke activity is answered 200 and the turn goes on in the
 *   background (Teams gives the request only ~15 s). Invokes are answered with the handler's invoke
 *   response when the turn ends.
 * The handler resolves once the request has been answered; errors of a background turn are logged.
 */
export function createMessagesHandler(
  options: MessagesEndpointOptions,
): (req: Request, res: Response) => Promise<void> {
  const { adapter, app, logger, recentActivities, turns, allowList } = options;

  async function runTurn(context: TurnContext, response: EarlyAcknowledgingResponse): Promise<void> {
    const { activity } = context;
    const refusal = allowList.refusal(activity.serviceUrl);
    if (refusal !== undefined) {
      logger.warn(
        { serviceUrlHost: hostOf(activity.serviceUrl), reason: refusal, activityType: activity.type },
        'refused an activity whose serviceUrl is not on the allow-list; nothing is sent to it',
      );
      response.refuse(403, 'Forbidden: the serviceUrl is not on the allow-list');
      return;
    }
    if (!isKnownActivityType(activity.type)) {
      logger.info({ activityType: activity.type }, 'ignored an activity of an unknown type');
      response.acknowledge();
      return;
    }
    // Checked here, after authentication: an unauthenticated request must not be able to suppress a real one.
    if (await recentActivities.markSeen(activity.conversation?.id, activity.id)) {
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
    const check = checkInboundActivity(req.body);
    if (!check.ok) {
      logger.info({ problem: check.problem }, 'refused a request body that is not a readable activity');
      res.send(400, { error: 'BadRequest', message: check.problem });
      return;
    }
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

/** The host of a URL for the log (never its path or query), or a placeholder. */
function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host;
  } catch {
    return '(not a URL)';
  }
}
