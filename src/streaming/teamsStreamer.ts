import { type Activity, ActivityTypes, type Attachment, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { newErrorId } from '../shared/errors';
import { type Clock, systemClock } from '../shared/time';
import {
  citationsForText,
  normalizeCitationMarkers,
  type CitationSource,
  type ClientCitation,
} from './citations';
import { sendWithRetry } from './connectorRetry';
import { activitySize, cutForBudget } from './messageBudget';
import { describeSendFailure, type SendFailure } from './sendFailure';
import { STREAM_LIMITS } from './streamLimits';
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
  /**
   * How the user is told the id of a model failure (appended to the notice or the failure text); the same
   * id is on the failure's log line. Default: `(error id: <id>)`.
   */
  errorReference?: (errorId: string) => string;
  clock?: Clock;
  /** Jitter source for connector retries, for tests. */
  random?: () => number;
  /** Overrides of the time and size limits, so tests can reach them quickly; defaults: STREAM_LIMITS. */
  limits?: Partial<StreamBudget>;
}

/** The limits that make a stream end early and continue in ordinary messages. */
export interface StreamBudget {
  finalizeStreamAfterMs: number;
  maxActivityBytes: number;
}

/**
 * One streamed answer on one Teams conversation. It implements the part of teams-ai's `StreamingResponse`
 * that `LLMClient` uses (it reuses a streamer it finds in `state.temp.streamer`) and replaces its behaviour:
 * - sends are strictly serialised and at least one second apart; text that arrives meanwhile is merged into
 *   the next update; no sleep follows the final message;
 * - throttling and transient connector errors are retried (Retry-After, else backoff with jitter);
 * - the Stop button (403 "canceled by user") ends the stream quietly and aborts the model;
 * - a stream is finalized before Teams' two-minute limit, and no activity exceeds the size budget: the
 *   rest of the answer follows as ordinary messages, cut at paragraph boundaries, so no text is lost;
 * - any other failure falls back to ordinary messages; nothing becomes an unhandled rejection.
 */
export class TeamsStreamer {
  private readonly clock: Clock;
  private readonly limits: StreamBudget;
  /** What botbuilder adds to every activity when it sends it (conversation, from, recipient, serviceUrl...). */
  private readonly envelopeBytes: number;
  private text = '';
  /** Where the current message starts in `text`; earlier text already went out in finished messages. */
  private segmentStart = 0;
  /** How much of the current message's text the user has seen in a streaming update. */
  private shownLength = 0;
  /** After a rollover (time or size limit) or a failed update, the rest goes out as ordinary messages. */
  private streamClosed = false;
  private informative: string | undefined;
  private sentInformative: string | undefined;
  private sequence = 1;
  private streamIdValue: string | undefined;
  private streamStartedAt: number | undefined;
  private lastSendEndedAt: number | undefined;
  private pump: Promise<void> | undefined;
  private ending = false;
  private endPromise: Promise<StreamOutcome> | undefined;
  private cancelled = false;
  private failure: SendFailure | undefined;
  private modelFailure: unknown;
  /** The id the user sees for the model failure; also on its log line. */
  private modelFailureId: string | undefined;
  private attachments: Attachment[] = [];
  private feedbackLoop = false;
  private aiLabel = false;

  constructor(private readonly options: TeamsStreamerOptions) {
    this.clock = options.clock ?? systemClock;
    this.limits = {
      finalizeStreamAfterMs: options.limits?.finalizeStreamAfterMs ?? STREAM_LIMITS.finalizeStreamAfterMs,
      maxActivityBytes: options.limits?.maxActivityBytes ?? STREAM_LIMITS.maxActivityBytes,
    };
    this.envelopeBytes = envelopeSize(options.context);
  }

  /** The id Teams assigned to this stream (the id of its first update and of its final message). */
  get streamId(): string | undefined {
    return this.streamIdValue;
  }

  /** True once the user pressed Stop. */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** True once the stream has been asked to end. */
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

  /** Appends model output; the next update carries the whole text of the current message so far. */
  queueTextChunk(text: string): void {
    if (this.ending || this.cancelled || text.length === 0) return;
    this.text = normalizeCitationMarkers(this.text + text);
    this.kick();
  }

  /** Adds attachments (the answer card) to the last message of the answer. */
  setAttachments(attachments: Attachment[]): void {
    this.attachments = attachments;
  }

  /** Enables thumbs up/down on the last message of the answer. */
  setFeedbackLoop(enabled: boolean): void {
    this.feedbackLoop = enabled;
  }

  /** Accepted for compatibility with LLMClient; this bot always uses the default feedback form. */
  setFeedbackLoopType(_type: 'default' | 'custom'): void {}

  /** Adds the "AI generated" label to the final message(s). */
  setGeneratedByAILabel(enabled: boolean): void {
    this.aiLabel = enabled;
  }

  /** Accepted for compatibility with LLMClient; citations come from the turn's sources and the `[n]` markers. */
  setCitations(_citations: unknown): void {}

  /**
   * Records that the model failed. The final message then keeps what was already written and adds a short
   * notice, or says politely that no answer could be produced.
   */
  noteModelFailure(error: unknown): void {
    if (this.modelFailure !== undefined) return;
    this.modelFailure = error;
    this.modelFailureId = newErrorId();
    this.options.logger.error(
      { err: error, errorId: this.modelFailureId },
      'the model failed; the user was told with this error id',
    );
  }

  /** Sends the final message(s) (once; later calls return the same outcome). Never rejects. */
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
    while (this.canSendUpdates() && this.nextUpdate() !== undefined) {
      await this.waitForSendSlot();
      if (!this.canSendUpdates()) return;
      // Text that arrived while waiting is merged into this update.
      const update = this.nextUpdate();
      if (!update) return;
      const activity = this.updateActivity(update.streamType, update.text);
      if (update.streamType === 'streaming' && this.streamIdValue && this.mustFinalizeEarly(activity)) {
        await this.finalizeEarly();
        return;
      }
      await this.sendUpdate(update.streamType, update.text, activity);
    }
  }

  private canSendUpdates(): boolean {
    return !this.ending && !this.cancelled && !this.streamClosed;
  }

  private nextUpdate(): { streamType: 'informative' | 'streaming'; text: string } | undefined {
    const segment = this.text.slice(this.segmentStart);
    if (segment.length > 0) {
      return segment.length !== this.shownLength ? { streamType: 'streaming', text: segment } : undefined;
    }
    if (this.informative !== undefined && this.informative !== this.sentInformative) {
      return { streamType: 'informative', text: this.informative };
    }
    return undefined;
  }

  /** Near the two-minute limit, or when the next update would be too large, the stream must end now. */
  private mustFinalizeEarly(update: Partial<Activity>): boolean {
    const age = this.streamStartedAt === undefined ? 0 : this.clock.now() - this.streamStartedAt;
    return age >= this.limits.finalizeStreamAfterMs || !this.fits(update);
  }

  /** Ends the stream with the text that fits, cut at a paragraph; the rest follows as ordinary messages. */
  private async finalizeEarly(): Promise<void> {
    const segment = this.text.slice(this.segmentStart);
    const cut = cutForBudget(segment, (prefix) => this.fits(this.streamFinalActivity(prefix, false)));
    this.options.logger.info(
      { streamId: this.streamIdValue, chars: cut },
      'finalizing the stream early (time or size limit); the rest follows as ordinary messages',
    );
    const sent = await this.send(this.streamFinalActivity(segment.slice(0, cut), false));
    this.streamClosed = true;
    if (sent.ok) {
      this.segmentStart += cut;
      this.shownLength = 0;
    } else {
      this.afterFailedStreamSend(sent.failure);
    }
  }

  private async waitForSendSlot(): Promise<void> {
    if (this.lastSendEndedAt === undefined) return;
    const interval = STREAM_LIMITS.minUpdateIntervalMs + STREAM_LIMITS.sendSpacingMarginMs;
    const wait = this.lastSendEndedAt + interval - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }

  private async sendUpdate(
    streamType: 'informative' | 'streaming',
    text: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    const sent = await this.send(activity);
    if (!sent.ok) {
      this.afterFailedStreamSend(sent.failure);
      return;
    }
    this.sequence += 1;
    this.streamStartedAt ??= this.clock.now();
    this.streamIdValue ??= sent.id;
    if (streamType === 'informative') this.sentInformative = text;
    else this.shownLength = text.length;
  }

  /** Decides what a failed send to the stream means: Stop, the stream closed by Teams, or a broken stream. */
  private afterFailedStreamSend(failure: SendFailure): void {
    if (failure.kind === 'cancelledByUser') {
      this.options.logger.info({ streamId: this.streamIdValue }, 'the user stopped the stream');
      this.cancelled = true;
      this.options.onCancelled?.();
      return;
    }
    // What the user already saw stays; everything after it follows as ordinary messages.
    this.segmentStart += this.shownLength;
    this.shownLength = 0;
    this.streamClosed = true;
    if (failure.kind === 'streamClosed') {
      this.options.logger.warn(
        { streamId: this.streamIdValue, summary: failure.summary },
        'Teams closed the stream',
      );
      return;
    }
    this.failure ??= failure;
    this.options.logger.warn(
      { status: failure.status, summary: failure.summary, streamId: this.streamIdValue },
      'a streaming send failed; the rest of the answer follows as ordinary messages',
    );
  }

  private updateActivity(streamType: 'informative' | 'streaming', text: string): Partial<Activity> {
    const info: StreamInfo = { streamType, streamSequence: this.sequence, ...this.streamIdInfo() };
    const citations = streamType === 'streaming' ? citationsForText(text, this.options.sources()) : [];
    return {
      type: ActivityTypes.Typing,
      text,
      entities: compact([streamInfoEntity(info), aiMessageEntity({ aiLabel: false, citations })]),
      channelData: { ...info },
    };
  }

  private streamIdInfo(): { streamId?: string } {
    return this.streamIdValue ? { streamId: this.streamIdValue } : {};
  }

  private async finish(): Promise<StreamOutcome> {
    this.ending = true;
    await this.pump;
    if (this.cancelled) return this.cancelledOutcome();

    const fullText = this.finalText();
    // The notice or apology belongs to the current message.
    this.text = fullText;
    let lastId: string | undefined;
    if (this.options.mode === 'stream' && this.streamIdValue && !this.streamClosed) {
      await this.waitForSendSlot();
      const segment = fullText.slice(this.segmentStart);
      const whole = this.streamFinalActivity(segment, true);
      // When the card does not fit with the text, the text ends the stream and the card follows on its own.
      const cut = this.fits(whole)
        ? segment.length
        : cutForBudget(segment, (prefix) => this.fits(this.streamFinalActivity(prefix, false)));
      const sent = await this.send(
        this.fits(whole) ? whole : this.streamFinalActivity(segment.slice(0, cut), false),
      );
      if (sent.ok) {
        this.segmentStart += cut;
        if (this.fits(whole)) lastId = this.streamIdValue;
      } else {
        this.afterFailedStreamSend(sent.failure);
        if (this.cancelled) return this.cancelledOutcome();
      }
    }
    const rest = fullText.slice(this.segmentStart);
    if (rest.length > 0 || lastId === undefined) {
      const delivered = await this.sendAsMessages(rest);
      if (this.cancelled) return this.cancelledOutcome();
      if (delivered.ok) lastId = delivered.lastId;
      else this.failure ??= delivered.failure;
    }
    const citations = citationsForText(fullText, this.options.sources());
    const healthy = this.modelFailure === undefined && this.failure === undefined && this.hasAnswerText();
    return healthy
      ? { kind: 'completed', messageId: lastId, text: fullText, citations }
      : { kind: 'failed', messageId: lastId, text: fullText, citations, reason: this.failureReason() };
  }

  private cancelledOutcome(): StreamOutcome {
    return { kind: 'cancelled', shownText: this.text.slice(0, this.segmentStart + this.shownLength) };
  }

  /**
   * Sends `text` as ordinary messages within the size budget; the last carries the card and the feedback
   * buttons (on a message of its own when it does not fit with the text).
   */
  private async sendAsMessages(
    text: string,
  ): Promise<{ ok: true; lastId: string | undefined } | { ok: false; failure: SendFailure }> {
    let remaining = text;
    let lastId: string | undefined;
    for (;;) {
      const last = this.plainMessage(remaining, true);
      const lastFits = this.fits(last);
      if (!lastFits && remaining.length === 0) {
        if (this.attachments.length === 0) return { ok: true, lastId };
        this.options.logger.warn('the answer card is larger than the message budget; it is left out');
        this.attachments = [];
        continue;
      }
      const cut = lastFits
        ? remaining.length
        : cutForBudget(remaining, (prefix) => this.fits(this.plainMessage(prefix, false)));
      if (this.lastSendEndedAt !== undefined) await this.waitForSendSlot();
      const sent = await this.send(lastFits ? last : this.plainMessage(remaining.slice(0, cut), false));
      if (!sent.ok) return { ok: false, failure: sent.failure };
      if (lastFits) return { ok: true, lastId: sent.id };
      remaining = remaining.slice(cut);
    }
  }

  /** The stream's final message; `last` adds the card and the feedback buttons. */
  private streamFinalActivity(text: string, last: boolean): Partial<Activity> {
    const info: StreamInfo = { streamType: 'final', streamId: this.streamIdValue };
    return {
      type: ActivityTypes.Message,
      id: this.streamIdValue,
      text,
      entities: compact([streamInfoEntity(info), this.aiEntity(text)]),
      channelData: { ...info, ...this.feedbackChannelData(last) },
      ...this.attachmentsFor(last),
    };
  }

  /** An ordinary (not streamed) message; `last` adds the card and the feedback buttons. */
  private plainMessage(text: string, last: boolean): Partial<Activity> {
    return {
      type: ActivityTypes.Message,
      text,
      entities: compact([this.aiEntity(text)]),
      channelData: this.feedbackChannelData(last),
      ...this.attachmentsFor(last),
    };
  }

  private aiEntity(text: string) {
    return aiMessageEntity({
      aiLabel: this.aiLabel,
      citations: citationsForText(text, this.options.sources()),
    });
  }

  private feedbackChannelData(last: boolean): Record<string, unknown> {
    return last && this.feedbackLoop ? { feedbackLoop: { type: 'default' } } : {};
  }

  private attachmentsFor(last: boolean): { attachments?: Attachment[] } {
    return last && this.attachments.length > 0 ? { attachments: this.attachments } : {};
  }

  private fits(activity: Partial<Activity>): boolean {
    return activitySize(activity) + this.envelopeBytes <= this.limits.maxActivityBytes;
  }

  /** Sends one activity with retries; reports the outcome instead of throwing. */
  private async send(
    activity: Partial<Activity>,
  ): Promise<{ ok: true; id: string | undefined } | { ok: false; failure: SendFailure }> {
    try {
      const response = await sendWithRetry(() => this.options.context.sendActivity(activity), {
        clock: this.clock,
        random: this.options.random,
        minDelayMs: STREAM_LIMITS.minUpdateIntervalMs,
        onRetry: (info) =>
          this.options.logger.info({ ...info, streamId: this.streamIdValue }, 'retrying a send'),
      });
      return { ok: true, id: response?.id };
    } catch (error) {
      return { ok: false, failure: describeSendFailure(error) };
    } finally {
      this.lastSendEndedAt = this.clock.now();
    }
  }

  private hasAnswerText(): boolean {
    return this.text.trim().length > 0 && this.text !== this.options.failureText;
  }

  private failureReason(): string {
    if (this.modelFailure !== undefined) return `model failed: ${describeError(this.modelFailure)}`;
    return this.failure?.summary ?? 'the model wrote no answer';
  }

  private finalText(): string {
    if (this.text.trim().length === 0) {
      return this.withErrorReference(this.options.failureText ?? 'Sorry, something went wrong.');
    }
    if (this.modelFailure === undefined) return this.text;
    return `${this.text}\n\n${this.withErrorReference(this.options.partialNotice ?? '')}`.trimEnd();
  }

  /** The text followed by the model failure's error id, when there is one. */
  private withErrorReference(text: string): string {
    if (this.modelFailureId === undefined) return text;
    const reference =
      this.options.errorReference?.(this.modelFailureId) ?? `(error id: ${this.modelFailureId})`;
    return text ? `${text} ${reference}` : reference;
  }
}

/** The size of the conversation fields botbuilder copies into every outgoing activity of this turn. */
function envelopeSize(context: TurnContext): number {
  const inbound = context.activity as Partial<Activity> | undefined;
  if (!inbound?.conversation) return 0;
  const reference = TurnContext.getConversationReference(inbound);
  return activitySize(TurnContext.applyConversationReference({ replyToId: inbound.id }, reference));
}

function compact<T>(items: Array<T | undefined>): T[] {
  return items.filter((item): item is T => item !== undefined);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}
