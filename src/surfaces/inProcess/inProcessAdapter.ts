import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  BotAdapter,
  INVOKE_RESPONSE_KEY,
  TurnContext,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
  type ResourceResponse,
} from 'botbuilder';
import { ConnectorError } from '../../shared/errors';
import type { ClientCitation } from '../../streaming';
import type { SurfaceMessage } from './surfaceSink';
import { attachSurfaceTurn, surfaceTurnOf, type SurfaceTurn } from './surfaceTurn';

/**
 * A botbuilder adapter for surfaces that run in the bot's own process (the terminal, the web chat): it builds
 * the TurnContext for an activity, runs it through the same Teams AI Application as Teams' adapter does, and
 * delivers every message the bot sends to the turn's surface sink (typing activities are dropped: the
 * surfaces show status lines instead). Each delivered message gets a fresh id, as the Bot Connector gives one.
 * An invoke's response (what Teams would get as the HTTP answer) is kept and returned by `runTurn`.
 */
export class InProcessAdapter extends BotAdapter {
  /** Runs one turn for `surface` (`logic` is normally `app.run`); resolves with an invoke's response, if any. */
  async runTurn(
    activity: Partial<Activity>,
    surface: SurfaceTurn,
    logic: (context: TurnContext) => Promise<unknown>,
  ): Promise<InvokeResponse | undefined> {
    const context = new TurnContext(this, activity);
    attachSurfaceTurn(context, surface);
    await this.runMiddleware(context, async (turnContext) => {
      await logic(turnContext);
    });
    const response = context.turnState.get<Partial<Activity> | undefined>(INVOKE_RESPONSE_KEY);
    return response?.value as InvokeResponse | undefined;
  }

  /** Delivers the bot's messages to the turn's sink. */
  sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const surface = surfaceTurnOf(context);
    if (!surface) {
      return Promise.reject(
        new ConnectorError(
          'the in-process adapter can only answer its own turns',
          undefined,
          undefined,
          false,
        ),
      );
    }
    const responses = activities.map((activity) => {
      const id = randomUUID();
      if (activity.type === ActivityTypes.Message) surface.sink.onMessage(surfaceMessage(id, activity));
      // As botbuilder's CloudAdapter does: the invoke's answer is kept on the turn, for `runTurn` to return.
      if (activity.type === ActivityTypes.InvokeResponse)
        context.turnState.set(INVOKE_RESPONSE_KEY, activity);
      return { id };
    });
    return Promise.resolve(responses);
  }

  /** Surfaces show messages once; nothing the bot sent is edited later. */
  updateActivity(_context: TurnContext, _activity: Partial<Activity>): Promise<void> {
    return Promise.reject(
      new ConnectorError('in-process surfaces cannot update a sent message', undefined, undefined, false),
    );
  }

  deleteActivity(_context: TurnContext, _reference: Partial<ConversationReference>): Promise<void> {
    return Promise.reject(
      new ConnectorError('in-process surfaces cannot delete a sent message', undefined, undefined, false),
    );
  }

  /** Proactive messages need a connected client; in-process surfaces only answer the turn they are in. */
  continueConversation(
    _reference: Partial<ConversationReference>,
    _logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    return Promise.reject(
      new ConnectorError(
        'in-process surfaces do not support proactive messages',
        undefined,
        undefined,
        false,
      ),
    );
  }
}

interface EntityFields {
  type?: string;
  streamType?: string;
  additionalType?: string[];
  citation?: ClientCitation[];
}

/** Reads a message activity the way a Teams client would: text, final-of-stream marker, AI label, citations. */
function surfaceMessage(id: string, activity: Partial<Activity>): SurfaceMessage {
  const entities = (activity.entities ?? []) as EntityFields[];
  const aiEntity = entities.find((entity) => entity.type === 'https://schema.org/Message');
  return {
    id,
    text: activity.text ?? '',
    streamed: entities.some((entity) => entity.type === 'streaminfo' && entity.streamType === 'final'),
    citations: aiEntity?.citation ?? [],
    attachments: activity.attachments ?? [],
    aiGenerated: aiEntity?.additionalType?.includes('AIGeneratedContent') ?? false,
  };
}
