import { type Activity, TurnContext } from 'botbuilder';
import { ConnectorSendSpan } from '../observability';
import type { Logger } from '../shared/logging';
import type { Clock } from '../shared/time';
import { sendWithRetry } from './connectorRetry';
import { activitySize, cutForBudget } from './messageBudget';
import { describeSendFailure, type SendFailure } from './sendFailure';
import { plainMessageActivity, streamFinalActivity, type MessageParts } from './streamActivities';
import { STREAM_LIMITS } from './streamLimits';
import type { RolloverReason } from './streamOutcome';
import { StreamRecord, type StreamJournal } from './streamJournal';
import type { StreamText } from './streamText';

/** What message delivery needs from its streamer. */
export interface MessageDeliveryOptions {
  context: TurnContext;
  logger: Logger;
  clock: Clock;
  /** Jitter source for connector retries, for tests. */
  random?: () => number;
  /** No activity may be larger than this (UTF-16 bytes of its JSON, botbuilder's envelope included). */
  maxActivityBytes: number;
  text: StreamText;
  /** What a message with this text carries besides it; `last` for the answer's last message. */
  parts: (text: string, last: boolean) => MessageParts;
  /** Called once when Teams reports that the user pressed Stop. */
  onCancelled?: () => void;
  /** Where the open stream is recorded, so another process can close it after a crash (none: not recorded). */
  journal?: StreamJournal;
}

type SendResult = { ok: true; id: string | undefined } | { ok: false; failure: SendFailure };

/**
 * Sends a Teams answer's activities: each send with the connector retry and the one-second gap after the
 * previous send; the roll-over into ordinary messages at the time or size budget; and what a failed send
 * means (403 Stop, the stream closed by Teams, or a broken stream whose rest follows as ordinary messages).
 */
export class MessageDelivery {
  /** What botbuilder adds to every activity when it sends it (conversation, from, recipient, serviceUrl...). */
  private readonly envelopeBytes: number;
  private lastSendEndedAt: number | undefined;
  private streamIdValue: string | undefined;
  private closed = false;
  private cancelledValue = false;
  private failureValue: SendFailure | undefined;
  private rolledOverValue: RolloverReason | undefined;
  private readonly record: StreamRecord;

  constructor(private readonly options: MessageDeliveryOptions) {
    this.envelopeBytes = envelopeSize(options.context);
    this.record = new StreamRecord(options.journal, options.logger);
  }

  /** The id Teams assigned to the stream (the id of its first update and of its final message). */
  get streamId(): string | undefined {
    return this.streamIdValue;
  }

  /** True after a roll-over or a failed update: the rest goes out as ordinary messages. */
  get streamClosed(): boolean {
    return this.closed;
  }

  /** True once Teams reported that the user pressed Stop. */
  get cancelled(): boolean {
    return this.cancelledValue;
  }

  /** The first send failure that is neither Stop nor Teams closing the stream. */
  get failure(): SendFailure | undefined {
    return this.failureValue;
  }

  /** Why the answer continued in ordinary messages, if it did. */
  get rolledOver(): RolloverReason | undefined {
    return this.rolledOverValue;
  }

  /** Waits until one second (and a margin) has passed since the previous send ended. */
  async waitForSendSlot(): Promise<void> {
    if (this.lastSendEndedAt === undefined) return;
    const interval = STREAM_LIMITS.minUpdateIntervalMs + STREAM_LIMITS.sendSpacingMarginMs;
    const wait = this.lastSendEndedAt + interval - this.options.clock.now();
    if (wait > 0) await this.options.clock.sleep(wait);
  }

  /** True when the activity, with botbuilder's envelope, is within the size budget. */
  fits(activity: Partial<Activity>): boolean {
    return activitySize(activity) + this.envelopeBytes <= this.options.maxActivityBytes;
  }

  /**
   * Sends an informative or streaming update; false when it failed (the failure is already handled).
   * `shownText` is what the bubble shows after it (undefined for an informative update, which shows no
   * answer text); it is recorded in the journal, without waiting for it.
   */
  async sendUpdate(
    activity: Partial<Activity>,
    progress: { shownText: string | undefined; streamSequence: number },
  ): Promise<boolean> {
    const sent = await this.send(activity);
    if (!sent.ok) {
      this.afterFailedStreamSend(sent.failure);
      return false;
    }
    this.streamIdValue ??= sent.id;
    if (this.streamIdValue !== undefined) {
      this.record.updateSent(this.streamIdValue, progress.shownText, progress.streamSequence);
    }
    return true;
  }

  /** Records that the stream is over (idempotent); resolves when the journal has every entry. */
  endRecord(): Promise<void> {
    return this.record.close();
  }

  /** Ends the stream with the text that fits, cut at a paragraph; the rest follows as ordinary messages. */
  async rollOver(reason: RolloverReason): Promise<void> {
    const { text, logger } = this.options;
    const segment = text.currentMessage();
    const cut = cutForBudget(segment, (prefix) => this.fits(this.streamFinal(prefix, false)));
    logger.info(
      { streamId: this.streamIdValue, chars: cut, reason },
      'finalizing the stream early (time or size limit); the rest follows as ordinary messages',
    );
    const sent = await this.send(this.streamFinal(segment.slice(0, cut), false));
    this.closed = true;
    void this.record.close();
    if (sent.ok) {
      this.rolledOverValue ??= reason;
      text.finishMessage(cut);
    } else {
      this.afterFailedStreamSend(sent.failure);
    }
  }

  /**
   * Sends the stream's final message with the current message's text (and the card, when it fits with the
   * text; otherwise the card follows on its own). Returns the id of the answer's last message when this
   * final is it.
   */
  async sendStreamFinal(): Promise<string | undefined> {
    const text = this.options.text;
    await this.waitForSendSlot();
    const segment = text.currentMessage();
    const whole = this.streamFinal(segment, true);
    const wholeFits = this.fits(whole);
    const cut = wholeFits
      ? segment.length
      : cutForBudget(segment, (prefix) => this.fits(this.streamFinal(prefix, false)));
    const sent = await this.send(wholeFits ? whole : this.streamFinal(segment.slice(0, cut), false));
    if (!sent.ok) {
      this.afterFailedStreamSend(sent.failure);
      return undefined;
    }
    void this.record.close();
    text.finishMessage(cut);
    if (wholeFits) return this.streamIdValue;
    this.rolledOverValue ??= 'size';
    return undefined;
  }

  /**
   * Sends `text` as ordinary messages within the size budget; the last carries the card and the feedback
   * buttons (on a message of its own when it does not fit with the text).
   */
  async sendAsMessages(
    text: string,
  ): Promise<{ ok: true; lastId: string | undefined } | { ok: false; failure: SendFailure }> {
    const { parts, logger } = this.options;
    let remaining = text;
    let withoutCard = false;
    const lastParts = (body: string): MessageParts => {
      const built = parts(body, true);
      return withoutCard && built.last ? { ...built, last: { ...built.last, attachments: [] } } : built;
    };
    const plain = (body: string) => plainMessageActivity(body, parts(body, false));
    for (;;) {
      const last = plainMessageActivity(remaining, lastParts(remaining));
      const lastFits = this.fits(last);
      if (!lastFits && remaining.length === 0) {
        if (!last.attachments?.length) return { ok: true, lastId: undefined };
        logger.warn('the answer card is larger than the message budget; it is left out');
        withoutCard = true;
        continue;
      }
      const cut = lastFits ? remaining.length : cutForBudget(remaining, (prefix) => this.fits(plain(prefix)));
      if (this.lastSendEndedAt !== undefined) await this.waitForSendSlot();
      const sent = await this.send(lastFits ? last : plain(remaining.slice(0, cut)));
      if (!sent.ok) return { ok: false, failure: sent.failure };
      if (lastFits) return { ok: true, lastId: sent.id };
      this.rolledOverValue ??= 'size';
      remaining = remaining.slice(cut);
    }
  }

  private streamFinal(text: string, last: boolean): Partial<Activity> {
    return streamFinalActivity(text, this.streamIdValue, this.options.parts(text, last));
  }

  /** Decides what a failed send to the stream means: Stop, the stream closed by Teams, or a broken stream. */
  private afterFailedStreamSend(failure: SendFailure): void {
    const { logger, text } = this.options;
    // The bot is done with this stream either way: nothing for another process to close after a crash.
    void this.record.close();
    if (failure.kind === 'cancelledByUser') {
      logger.info({ streamId: this.streamIdValue }, 'the user stopped the stream');
      this.cancelledValue = true;
      this.options.onCancelled?.();
      return;
    }
    // What the user already saw stays; everything after it follows as ordinary messages.
    text.keepShown();
    this.closed = true;
    if (failure.kind === 'streamClosed') {
      this.rolledOverValue ??= /size/i.test(failure.summary) ? 'size' : 'time';
      logger.warn({ streamId: this.streamIdValue, summary: failure.summary }, 'Teams closed the stream');
      return;
    }
    this.failureValue ??= failure;
    logger.warn(
      { status: failure.status, summary: failure.summary, streamId: this.streamIdValue },
      'a streaming send failed; the rest of the answer follows as ordinary messages',
    );
  }

  /** Sends one activity with retries; reports the outcome instead of throwing. */
  private async send(activity: Partial<Activity>): Promise<SendResult> {
    const { context, clock, random, logger } = this.options;
    // One span per send (at most one a second), never per streamed chunk.
    const span = new ConnectorSendSpan(context, activity);
    try {
      const response = await sendWithRetry(() => context.sendActivity(activity), {
        clock,
        random,
        minDelayMs: STREAM_LIMITS.minUpdateIntervalMs,
        onRetry: (info) => {
          span.retried(info);
          logger.info({ ...info, streamId: this.streamIdValue }, 'retrying a send');
        },
      });
      span.succeeded();
      return { ok: true, id: response?.id };
    } catch (error) {
      const failure = describeSendFailure(error);
      span.failed(failure.kind, failure.status);
      return { ok: false, failure };
    } finally {
      this.lastSendEndedAt = clock.now();
    }
  }
}

/** The size of the conversation fields botbuilder copies into every outgoing activity of this turn. */
function envelopeSize(context: TurnContext): number {
  const inbound = context.activity as Partial<Activity> | undefined;
  if (!inbound?.conversation) return 0;
  const reference = TurnContext.getConversationReference(inbound);
  return activitySize(TurnContext.applyConversationReference({ replyToId: inbound.id }, reference));
}
