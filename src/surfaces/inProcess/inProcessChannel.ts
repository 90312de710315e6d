import { randomUUID } from 'node:crypto';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity } from 'botbuilder';
import { CONFIRMATION_VERB } from '../../turn/cards/confirmationCard';
import { cardTextLines } from './cardText';
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

/** A surface user's answer to a change waiting for confirmation (`ConfirmationPrompt`). */
export interface SurfaceConfirmationAnswer {
  conversationId: string;
  userId: string;
  /** `ConfirmationPrompt.confirmationId`: the change is the one the bot recorded, not anything sent here. */
  confirmationId: string;
  decision: 'confirm' | 'cancel';
}

/** How answering a confirmation went, as text to show: the outcome and, per item, what happened. */
export interface SurfaceConfirmationResult {
  lines: string[];
}

/** A sink for turns that show nothing but their invoke response (feedback, confirmations). */
const SILENT_SINK: SurfaceSink = {
  onStatus: () => undefined,
  onTextDelta: () => undefined,
  onToolCall: () => undefined,
  onToolResult: () => undefined,
  onMessage: () => undefined,
  onTurnEnd: () => undefined,
  onConfirmation: () => undefined,
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

  /**
   * Confirms or cancels a pending change: the same `adaptiveCard/action` invoke (Action.Execute with the
   * confirmation verb and only the change's id) that Teams sends for the card's buttons, handled by the same
   * confirmation handler, which checks that this user asked for it in this conversation and applies the
   * recorded change. Resolves with the outcome as text lines (what the card would be replaced by).
   */
  async sendConfirmation(answer: SurfaceConfirmationAnswer): Promise<SurfaceConfirmationResult> {
    const activity: Partial<Activity> = {
      ...this.envelope(answer.conversationId, answer.userId),
      type: ActivityTypes.Invoke,
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          verb: CONFIRMATION_VERB,
          data: { confirmationId: answer.confirmationId, decision: answer.decision },
        },
        trigger: 'manual',
      },
    };
    const response = await this.adapter.runTurn(
      activity,
      { sink: SILENT_SINK, signal: new AbortController().signal },
      (context) => this.options.app.run(context),
    );
    const body = response?.body as { type?: unknown; value?: unknown } | undefined;
    if (typeof body?.value === 'string') return { lines: [body.value] };
    return { lines: cardTextLines(body?.value) };
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
