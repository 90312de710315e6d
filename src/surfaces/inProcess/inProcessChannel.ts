import { randomUUID } from 'node:crypto';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity } from 'botbuilder';
import { InProcessAdapter } from './inProcessAdapter';
import type { SurfaceSink } from './surfaceSink';

/** The channels the in-process adapter serves; each keeps its conversations apart in the store. */
export type SurfaceChannelId = 'terminal' | 'web';

/** The tenant of conversations held on in-process surfaces (work items are scoped to tenant and conversation). */
export const SURFACE_TENANT_ID = 'local';

/** One question from a surface user. */
export interface SurfaceQuestion {
  /** The surface's conversation; its history lives in the bot's store under this id (prefixed by channel). */
  conversationId: string;
  userId: string;
  userName?: string;
  text: string;
  locale?: string;
  /** Aborting it stops the answer and the model's HTTP request. */
  signal: AbortSignal;
  sink: SurfaceSink;
}

/** A like or dislike of one answer, from a surface user. */
export interface SurfaceFeedback {
  conversationId: string;
  userId: string;
  /** The id of the rated answer's final message (`SurfaceTurnEnd.messageId`). */
  messageId: string;
  reaction: 'like' | 'dislike';
  comment?: string;
}

/** A sink for turns that show nothing (feedback). */
const SILENT_SINK: SurfaceSink = {
  onStatus: () => undefined,
  onTextDelta: () => undefined,
  onToolCall: () => undefined,
  onToolResult: () => undefined,
  onMessage: () => undefined,
  onTurnEnd: () => undefined,
};

/**
 * A surface's way into the assistant: turns a question into a message activity on its channel and runs it
 * through the Teams AI Application (same planner, prompts, tools, storage, citations and feedback records as
 * Teams) with the in-process adapter, which hands the output to the question's sink.
 */
export class InProcessChannel {
  private readonly adapter = new InProcessAdapter();

  constructor(
    private readonly options: {
      app: Application<TurnState>;
      channelId: SurfaceChannelId;
    },
  ) {}

  /** Which channel this is. */
  get channelId(): SurfaceChannelId {
    return this.options.channelId;
  }

  /**
   * Asks one question; resolves when the answer is complete, failed or stopped (the sink has heard how).
   * Rejects only when the turn itself broke (the adapter has no turn-error handler): the surface reports it.
   */
  async ask(question: SurfaceQuestion): Promise<void> {
    const activity: Partial<Activity> = {
      ...this.envelope(question.conversationId, question.userId, question.userName),
      type: ActivityTypes.Message,
      text: question.text,
      locale: question.locale ?? 'en-US',
    };
    await this.adapter.runTurn(activity, { sink: question.sink, signal: question.signal }, (context) =>
      this.options.app.run(context),
    );
  }

  /**
   * Rates an answer: the same `message/submitAction` invoke Teams sends for its thumbs buttons, handled by
   * the Application's feedback loop, so it is stored like Teams feedback.
   */
  async sendFeedback(feedback: SurfaceFeedback): Promise<void> {
    const activity: Partial<Activity> = {
      ...this.envelope(feedback.conversationId, feedback.userId),
      type: ActivityTypes.Invoke,
      name: 'message/submitAction',
      replyToId: feedback.messageId,
      value: {
        actionName: 'feedback',
        actionValue: { reaction: feedback.reaction, feedback: feedback.comment ?? '' },
      },
    };
    await this.adapter.runTurn(
      activity,
      { sink: SILENT_SINK, signal: new AbortController().signal },
      (context) => this.options.app.run(context),
    );
  }

  /** The fields every activity of this channel carries. */
  private envelope(conversationId: string, userId: string, userName?: string): Partial<Activity> {
    return {
      id: randomUUID(),
      channelId: this.options.channelId,
      serviceUrl: `inprocess://${this.options.channelId}`,
      timestamp: new Date(),
      from: { id: userId, name: userName ?? userId },
      recipient: { id: 'assistant', name: 'Stream Assistant' },
      conversation: {
        id: conversationId,
        conversationType: 'personal',
        tenantId: SURFACE_TENANT_ID,
        isGroup: false,
        name: conversationId,
      },
      channelData: { tenant: { id: SURFACE_TENANT_ID } },
    };
  }
}
