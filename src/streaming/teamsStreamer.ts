import type { Attachment, TurnContext } from 'botbuilder';
import { newErrorId } from '../shared/errors';
import type { Logger } from '../shared/logging';
import { type Clock, systemClock } from '../shared/time';
import { citationsForText, type CitationSource } from './citations';
import { finalAnswerText, type FailureWording } from './finalText';
import { MessageDelivery } from './messageDelivery';
import type { MessageParts } from './streamActivities';
import { STREAM_LIMITS } from './streamLimits';
import type { StreamFailureCause, StreamOutcome } from './streamOutcome';
import type { StreamJournal } from './streamJournal';
import { StreamText } from './streamText';
import { UpdatePump } from './updatePump';

/** `stream` sends live updates (1:1 chats); `single` sends only one final message (group chats and channels). */
export type StreamMode = 'stream' | 'single';

/** What a streamer needs from its surroundings. */
export interface TeamsStreamerOptions extends FailureWording {
  context: TurnContext;
  mode: StreamMode;
  logger: Logger;
  /** The sources the answer may cite, looked up when a message is built (tools add sources as they run). */
  sources: () => readonly CitationSource[];
  /** Called once when Teams reports that the user pressed Stop; the caller aborts the turn. */
  onCancelled?: () => void;
  clock?: Clock;
  /** Jitter source for connector retries, for tests. */
  random?: () => number;
  /** Overrides of the time and size limits, so tests can reach them quickly; defaults: STREAM_LIMITS. */
  limits?: Partial<StreamBudget>;
  /**
   * Where the stream records itself while open (once when Teams gives it an id, then once per sent update,
   * and when it ends), so another process can close it after a crash; none: it is not recorded.
   */
  journal?: StreamJournal;
}

/** The limits that make a stream end early and continue in ordinary messages. */
export interface StreamBudget {
  finalizeStreamAfterMs: number;
  maxActivityBytes: number;
}

/**
 * One streamed answer on one Teams conversation (docs/teams-platform-facts.md §1-3), in three parts: the
 * update pump (pacing), the message delivery (sends, roll-over, 403s) and the pure activity builders. It
 * replaces teams-ai's `StreamingResponse`:
 * - sends are strictly serialised and at least one second apart; text that arrives meanwhile is merged into
 *   the next update; no sleep follows the final message;
 * - throttling and transient connector errors are retried (Retry-After, else backoff with jitter);
 * - the Stop button (403 "canceled by user") ends the stream quietly and calls `onCancelled`;
 * - a stream is finalized before Teams' two-minute limit, and no activity exceeds the size budget: the
 *   rest of the answer follows as ordinary messages, cut at paragraph boundaries, so no text is lost;
 * - any other failure falls back to ordinary messages; nothing becomes an unhandled rejection.
 */
export class TeamsStreamer {
  private readonly text = new StreamText();
  private readonly delivery: MessageDelivery;
  private readonly pump: UpdatePump;
  /** No more input: LLMClient closed the stream, or the final message is on its way. */
  private closed = false;
  private endPromise: Promise<StreamOutcome> | undefined;
  private modelFailure: { error: unknown; errorId: string } | undefined;
  private attachments: Attachment[] = [];
  private feedbackLoop = false;
  private aiLabel = false;

  constructor(private readonly options: TeamsStreamerOptions) {
    const clock = options.clock ?? systemClock;
    this.delivery = new MessageDelivery({
      context: options.context,
      logger: options.logger,
      clock,
      random: options.random,
      maxActivityBytes: options.limits?.maxActivityBytes ?? STREAM_LIMITS.maxActivityBytes,
      text: this.text,
      parts: (text, last) => this.messageParts(text, last),
      onCancelled: options.onCancelled,
      journal: options.journal,
    });
    this.pump = new UpdatePump({
      text: this.text,
      delivery: this.delivery,
      clock,
      citations: (text) => citationsForText(text, options.sources()),
      finalizeStreamAfterMs: options.limits?.finalizeStreamAfterMs ?? STREAM_LIMITS.finalizeStreamAfterMs,
    });
  }

  /** True once the user pressed Stop (Teams answered a send with 403 "canceled by user"). */
  get isCancelled(): boolean {
    return this.delivery.cancelled;
  }

  /** The whole answer text queued so far. */
  getMessage(): string {
    return this.text.all;
  }

  /**
   * Shows a prepared status line ("Searching the knowledge base..."). Ignored once answer text exists,
   * because Teams shows no informative update after the first text chunk.
   */
  queueInformativeUpdate(text: string): void {
    if (this.closed || this.delivery.cancelled || this.text.all.length > 0) return;
    this.pump.setInformative(text);
    this.kick();
  }

  /** Appends model output; the next update carries the whole text of the current message so far. */
  queueTextChunk(text: string): void {
    if (this.closed || this.delivery.cancelled || text.length === 0) return;
    this.text.append(text);
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

  /** Adds the "AI generated" label to the final message(s). */
  setGeneratedByAILabel(enabled: boolean): void {
    this.aiLabel = enabled;
  }

  /**
   * Records that the model failed (the first failure counts), logged with the error id the user is shown.
   * The final message then keeps what was already written and adds a short notice, or apologises.
   */
  noteModelFailure(error: unknown): void {
    if (this.modelFailure !== undefined) return;
    this.modelFailure = { error, errorId: newErrorId() };
    this.options.logger.error(
      { err: error, errorId: this.modelFailure.errorId },
      'the model failed; the user was told with this error id',
    );
  }

  /** Takes no more input and sends no more updates; the final message waits for `endStream`. */
  close(): void {
    this.closed = true;
    void this.pump.stop();
  }

  /** Sends the final message(s) (once; later calls return the same outcome). Never rejects. */
  endStream(): Promise<StreamOutcome> {
    this.endPromise ??= this.finish();
    return this.endPromise;
  }

  private kick(): void {
    if (this.options.mode === 'stream') this.pump.kick();
  }

  private async finish(): Promise<StreamOutcome> {
    const outcome = await this.deliverRest();
    // However it ended, the bot ended it: nothing is left open for another process to close.
    await this.delivery.endRecord();
    return outcome;
  }

  private async deliverRest(): Promise<StreamOutcome> {
    this.closed = true;
    await this.pump.stop();
    const { delivery, text } = this;
    if (delivery.cancelled) return this.cancelledOutcome();

    const fullText = finalAnswerText(
      text.all,
      this.modelFailure !== undefined,
      this.modelFailure?.errorId,
      this.options,
    );
    // The notice or apology belongs to the current message.
    text.replace(fullText);
    let lastId: string | undefined;
    if (this.options.mode === 'stream' && delivery.streamId && !delivery.streamClosed) {
      lastId = await delivery.sendStreamFinal();
      if (delivery.cancelled) return this.cancelledOutcome();
    }
    const rest = text.currentMessage();
    let deliveryFailure = delivery.failure;
    if (rest.length > 0 || lastId === undefined) {
      const delivered = await delivery.sendAsMessages(rest);
      if (delivered.ok) lastId = delivered.lastId;
      else deliveryFailure ??= delivered.failure;
    }
    const citations = citationsForText(fullText, this.options.sources());
    const cause = this.failureCause(deliveryFailure, fullText);
    if (cause) return { kind: 'failed', messageId: lastId, text: fullText, citations, cause };
    const rolledOver = delivery.rolledOver;
    return {
      kind: 'completed',
      messageId: lastId,
      text: fullText,
      citations,
      ...(rolledOver ? { rolledOver } : {}),
    };
  }

  private cancelledOutcome(): StreamOutcome {
    return { kind: 'cancelled', shownText: this.text.shownText() };
  }

  /** Why the answer failed, or undefined when it is healthy. */
  private failureCause(
    deliveryFailure: { status: number | undefined; summary: string } | undefined,
    fullText: string,
  ): StreamFailureCause | undefined {
    if (this.modelFailure !== undefined) return { kind: 'model', error: this.modelFailure.error };
    if (deliveryFailure) {
      return { kind: 'delivery', status: deliveryFailure.status, summary: deliveryFailure.summary };
    }
    const hasAnswer = fullText.trim().length > 0 && fullText !== this.options.failureText;
    return hasAnswer ? undefined : { kind: 'noAnswer' };
  }

  /** What a message with this text carries besides it; `last` adds the card and the feedback buttons. */
  private messageParts(text: string, last: boolean): MessageParts {
    return {
      aiLabel: this.aiLabel,
      citations: citationsForText(text, this.options.sources()),
      ...(last ? { last: { feedbackLoop: this.feedbackLoop, attachments: this.attachments } } : {}),
    };
  }
}
