import type { Activity, Attachment, TurnContext } from 'botbuilder';
import { ActivityTypes } from 'botbuilder';
import type { Logger } from 'pino';
import {
  citationsForText,
  normalizeCitationMarkers,
  type CitationSource,
  type ClientCitation,
} from './citations';
import { type Clock, systemClock } from '../time';
import { STREAM_LIMITS } from './streamLimits';
import { describeSendFailure, type SendFailure } from './sendFailure';
import { aiMessageEntity, streamInfoEntity, type StreamInfo } from './wireEntities';

/** How a stream ended. A stream never throws at its caller; it reports one of these instead. */
export type StreamOutcome =
  | { kind: 'completed'; messageId: string | undefined; text: string; citations: ClientCitation[] }
  /** `shownText` is what the user saw before pressing Stop. */
  | { kind: 'cancelled'; shownText: string }
  | {
      kind: 'failed';
      messageId: string | undefined;
      text: string;
      citations: ClientCitation[];
      reason: string;
    };

/** `stream` sends live updates (1:1 chats); `single` sends only one final message (group chats and channels). */
export type StreamMode = 'stream' | 'single';

/** What a streamer needs from its surroundings. */
export interface TeamsStreamerOptions {
  context: TurnContext;
  mode: StreamMode;
  logger: Logger;
  /** The sources the answer may cite, looked up when a message is built (tools add sources as they run). */
  sources: () => readonly CitationSource[];
  /** Called once when Teams reports that the user pressed Stop; the caller aborts the model request. */
  onCancelled?: () => void;
  /** Text appended to the final message when the model failed after it had started answering. */
  partialNotice?: string;
  /** The final text when the model failed before writing anything. */
  failureText?: string;
  clock?: Clock;
}

/**
 * One streamed answer on one Teams conversation. It implements the part of teams-ai's `StreamingResponse`
 * that `LLMClient` uses (it reuses a streamer it finds in `state.temp.streamer`), and replaces its behaviour:
 * sends are strictly serialised and at least one second apart with text that arrives meanwhile merged into
 * the next update, no sleep follows the final message, a send that fails never becomes an unhandled
 * rejection, and the Stop button (403 "canceled by user") ends the stream quietly.
 */
export class TeamsStreamer {
  private readonly clock: Clock;
  private text = '';
  private sentText = '';
  private informative: string | undefined;
  private sentInformative: string | undefined;
  private sequence = 1;
  private streamIdValue: string | undefined;
  private lastSendEndedAt: number | undefined;
  private pump: Promise<void> | undefined;
  private ending = false;
  private endPromise: Promise<StreamOutcome> | undefined;
  private cancelled = false;
  private brokenBy: SendFailure | undefined;
  private modelFailure: unknown;
  private attachments: Attachment[] = [];
  private feedbackLoop = false;
  private aiLabel = false;

  constructor(private readonly options: TeamsStreamerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The id Teams assigned to this stream (the id of its first update and of the final message). */
  get streamId(): string | undefined {
    return this.streamIdValue;
  }

  /** True once the user pressed Stop. */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** True once the final message was sent or the stream otherwise ended. */
  get isEnded(): boolean {
    return this.endPromise !== undefined;
  }

  /** True once any answer text has been queued. */
  get hasText(): boolean {
    return this.text.length > 0;
  }

  /** Number of informative and streaming updates sent so far. */
  get updatesSent(): number {
    return this.sequence - 1;
  }

  /** The whole answer text queued so far. */
  getMessage(): string {
    return this.text;
  }

  /**
   * Shows a prepared status line ("Searching the knowledge base..."). Ignored once answer text exists,
   * because Teams shows no informative update after the first text chunk.
   */
  queueInformativeUpdate(text: string): void {
    if (this.ending || this.cancelled || this.text.length > 0) return;
    this.informative = text.slice(0, STREAM_LIMITS.maxInformativeChars);
    this.kick();
  }

  /** Appends model output; the next update carries the whole text so far. */
  queueTextChunk(text: string): void {
    if (this.ending || this.cancelled || text.length === 0) return;
    this.text = normalizeCitationMarkers(this.text + text);
    this.kick();
  }

  /** Adds attachments (the answer card) to the final message. */
  setAttachments(attachments: Attachment[]): void {
    this.attachments = attachments;
  }

  /** Enables thumbs up/down on the final message. */
  setFeedbackLoop(enabled: boolean): void {
    this.feedbackLoop = enabled;
  }

  /** Accepted for compatibility with LLMClient; this bot always uses the default feedback form. */
  setFeedbackLoopType(_type: 'default' | 'custom'): void {}

  /** Adds the "AI generated" label to the final message. */
  setGeneratedByAILabel(enabled: boolean): void {
    this.aiLabel = enabled;
  }

  /** Accepted for compatibility with LLMClient; citations come from the turn's sources and the `[n]` markers. */
  setCitations(_citations: unknown): void {}

  /**
   * Records that the model failed. The final message then keeps what was already streamed and adds a short
   * notice, or says politely that no answer could be produced.
   */
  noteModelFailure(error: unknown): void {
    this.modelFailure ??= error;
  }

  /** Sends the final message (once; later calls return the same outcome). Never rejects. */
  endStream(): Promise<StreamOutcome> {
    this.endPromise ??= this.finish();
    return this.endPromise;
  }

  private kick(): void {
    if (this.options.mode === 'single' || this.pump) return;
    this.pump = this.runUpdates().finally(() => {
      this.pump = undefined;
    });
  }

  /** Sends updates one after another until nothing new is pending. Never rejects. */
  private async runUpdates(): Promise<void> {
    while (this.nextUpdate() !== undefined && this.canSendUpdates()) {
      await this.waitForSendSlot();
      // Text that arrived while waiting is merged into this update.
      const update = this.canSendUpdates() ? this.nextUpdate() : undefined;
      if (!update) return;
      await this.sendUpdate(update.streamType, update.text);
    }
  }

  private canSendUpdates(): boolean {
    return !this.ending && !this.cancelled && this.brokenBy === undefined;
  }

  private nextUpdate(): { streamType: 'informative' | 'streaming'; text: string } | undefined {
    if (this.text.length > 0) {
      return this.text !== this.sentText ? { streamType: 'streaming', text: this.text } : undefined;
    }
    if (this.informative !== undefined && this.informative !== this.sentInformative) {
      return { streamType: 'informative', text: this.informative };
    }
    return undefined;
  }

  private async waitForSendSlot(): Promise<void> {
    if (this.lastSendEndedAt === undefined) return;
    const wait = this.lastSendEndedAt + STREAM_LIMITS.minUpdateIntervalMs - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }

  private async sendUpdate(streamType: 'informative' | 'streaming', text: string): Promise<void> {
    const info: StreamInfo = { streamType, streamSequence: this.sequence, ...this.streamIdInfo() };
    const citations = streamType === 'streaming' ? citationsForText(text, this.options.sources()) : [];
    const activity: Partial<Activity> = {
      type: ActivityTypes.Typing,
      text,
      entities: compact([streamInfoEntity(info), aiMessageEntity({ aiLabel: false, citations })]),
      channelData: { ...info },
    };
    try {
      const response = await this.options.context.sendActivity(activity);
      this.sequence += 1;
      if (streamType === 'informative') this.sentInformative = text;
      else this.sentText = text;
      this.streamIdValue ??= response?.id;
    } catch (error) {
      this.onSendFailed(error);
    } finally {
      this.lastSendEndedAt = this.clock.now();
    }
  }

  private onSendFailed(error: unknown): void {
    const failure = describeSendFailure(error);
    if (failure.kind === 'cancelledByUser') {
      this.options.logger.info({ streamId: this.streamIdValue }, 'the user stopped the stream');
      this.cancelled = true;
      this.options.onCancelled?.();
      return;
    }
    this.options.logger.warn(
      { err: error, status: failure.status, streamId: this.streamIdValue },
      'a streaming update failed; the answer will be sent as one ordinary message',
    );
    this.brokenBy = failure;
  }

  private streamIdInfo(): { streamId?: string } {
    return this.streamIdValue ? { streamId: this.streamIdValue } : {};
  }

  private async finish(): Promise<StreamOutcome> {
    this.ending = true;
    await this.pump;
    if (this.cancelled) return { kind: 'cancelled', shownText: this.sentText };

    const text = this.finalText();
    const citations = citationsForText(text, this.options.sources());
    const streamed = this.options.mode === 'stream' && this.brokenBy === undefined && this.streamIdValue;
    await this.waitForSendSlot();
    const activity = this.finalActivity(text, citations, streamed ? this.streamIdValue : undefined);
    try {
      const response = await this.options.context.sendActivity(activity);
      const messageId = (streamed ? this.streamIdValue : undefined) ?? response?.id;
      const healthy = this.modelFailure === undefined && this.brokenBy === undefined && this.hasText;
      return healthy
        ? { kind: 'completed', messageId, text, citations }
        : { kind: 'failed', messageId, text, citations, reason: this.failureReason() };
    } catch (error) {
      const failure = describeSendFailure(error);
      if (failure.kind === 'cancelledByUser') {
        this.cancelled = true;
        this.options.onCancelled?.();
        return { kind: 'cancelled', shownText: this.sentText };
      }
      this.options.logger.error(
        { err: error, status: failure.status },
        'the final message could not be sent',
      );
      return { kind: 'failed', messageId: undefined, text, citations, reason: failure.summary };
    }
  }

  private failureReason(): string {
    if (this.modelFailure !== undefined) return `model failed: ${describeError(this.modelFailure)}`;
    return this.brokenBy?.summary ?? 'the model wrote no answer';
  }

  private finalText(): string {
    if (this.text.trim().length === 0) return this.options.failureText ?? 'Sorry, something went wrong.';
    if (this.modelFailure === undefined) return this.text;
    return this.options.partialNotice ? `${this.text}\n\n${this.options.partialNotice}` : this.text;
  }

  private finalActivity(
    text: string,
    citations: ClientCitation[],
    streamId: string | undefined,
  ): Partial<Activity> {
    const feedback = this.feedbackLoop ? { feedbackLoop: { type: 'default' } } : {};
    const ai = aiMessageEntity({ aiLabel: this.aiLabel, citations });
    if (!streamId) {
      return {
        type: ActivityTypes.Message,
        text,
        entities: compact([ai]),
        channelData: feedback,
        ...(this.attachments.length > 0 ? { attachments: this.attachments } : {}),
      };
    }
    const info: StreamInfo = { streamType: 'final', streamId };
    return {
      type: ActivityTypes.Message,
      id: streamId,
      text,
      entities: compact([streamInfoEntity(info), ai]),
      channelData: { ...info, ...feedback },
      ...(this.attachments.length > 0 ? { attachments: this.attachments } : {}),
    };
  }
}

function compact<T>(items: Array<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}
