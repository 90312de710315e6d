import { randomUUID } from 'node:crypto';
import type { Attachment, TurnContext } from 'botbuilder';
import type { Logger } from '../../shared/logging';
import {
  citationsForText,
  finalAnswerText,
  normalizeCitationMarkers,
  surfaceFinalActivity,
  type CitationSource,
  type FailureWording,
  type StreamOutcome,
} from '../../streaming';
import type { SurfaceSink, SurfaceToolCall, SurfaceToolResult } from './surfaceSink';

/** What a surface streamer is made from. */
export interface SurfaceStreamerOptions extends Omit<FailureWording, 'errorReference'> {
  context: TurnContext;
  sink: SurfaceSink;
  logger: Logger;
  /** The sources the answer may cite, looked up when the final message is built. */
  sources: () => readonly CitationSource[];
}

/** A `[`, `[d`, `[do`, `[doc`, `[doc1`… at the end of the text: maybe a `[docN]` marker still being written. */
const OPEN_MARKER_TAIL = /\[(?:d(?:o(?:c\d{0,3})?)?|\d{1,3})?$/i;

/**
 * The streamer of an answer on a terminal or web surface: what TeamsStreamer is for Teams (LLMClient reaches
 * both through the same LlmClientStream), but without Teams' pacing. Text goes to the sink token by token as
 * the model writes it (citation markers are normalized as on Teams: a `[docN]` that might still be arriving
 * is held back until it is complete); the final message is sent through the turn's adapter like any bot
 * message, with the AI label, the citations and the card, so every surface gets the same final activity.
 */
export class SurfaceStreamer {
  private readonly streamId = randomUUID();
  private text = '';
  /** How much of `text` went to the sink as deltas. */
  private delivered = 0;
  private ending = false;
  private endPromise: Promise<StreamOutcome> | undefined;
  private cancelled = false;
  private modelFailure: unknown;
  private attachments: Attachment[] = [];
  private feedbackLoop = false;
  private aiLabel = false;

  constructor(private readonly options: SurfaceStreamerOptions) {}

  /** True once the surface stopped the answer. */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** The whole answer text queued so far. */
  getMessage(): string {
    return this.text;
  }

  /** Shows a status line (the informative update, a tool starting) until the answer text begins. */
  queueInformativeUpdate(text: string): void {
    if (this.ending || this.cancelled) return;
    this.options.sink.onStatus(text);
  }

  /** Appends model output and hands the new text to the sink at once. */
  queueTextChunk(chunk: string): void {
    if (this.ending || this.cancelled || chunk.length === 0) return;
    this.text = normalizeCitationMarkers(this.text + chunk);
    const tail = OPEN_MARKER_TAIL.exec(this.text);
    this.deliverUpTo(tail ? tail.index : this.text.length);
  }

  /** A tool call starts (reported by the tool actions). */
  toolStarted(call: SurfaceToolCall): void {
    if (!this.cancelled) this.options.sink.onToolCall(call);
  }

  /** A tool call finished with this output. */
  toolFinished(result: SurfaceToolResult): void {
    if (!this.cancelled) this.options.sink.onToolResult(result);
  }

  /** Adds attachments (the answer card) to the final message. */
  setAttachments(attachments: Attachment[]): void {
    this.attachments = attachments;
  }

  /** Offers feedback on the final message, as on Teams. */
  setFeedbackLoop(enabled: boolean): void {
    this.feedbackLoop = enabled;
  }

  /** Marks the final message as AI generated. */
  setGeneratedByAILabel(enabled: boolean): void {
    this.aiLabel = enabled;
  }

  /**
   * Records that the model failed (the first failure counts); the final message keeps the partial text with
   * a notice, or apologises.
   */
  noteModelFailure(error: unknown): void {
    this.modelFailure ??= error;
  }

  /** Takes no more input; the final message waits for `endStream`. */
  close(): void {
    this.ending = true;
  }

  /** The surface stopped the answer: nothing more goes to the sink and no final message is sent. */
  cancel(): void {
    if (this.ending) return;
    this.cancelled = true;
  }

  /** Sends the final message (once; later calls return the same outcome). Never rejects. */
  endStream(): Promise<StreamOutcome> {
    this.endPromise ??= this.finish();
    return this.endPromise;
  }

  private deliverUpTo(end: number): void {
    if (end <= this.delivered) return;
    this.options.sink.onTextDelta(this.text.slice(this.delivered, end));
    this.delivered = end;
  }

  private async finish(): Promise<StreamOutcome> {
    this.ending = true;
    if (this.cancelled) return { kind: 'cancelled', shownText: this.text.slice(0, this.delivered) };
    this.text = finalAnswerText(this.text, this.modelFailure !== undefined, undefined, this.options);
    // Whatever was held back, and a notice or an apology, still arrives as text before the final message.
    this.deliverUpTo(this.text.length);
    const citations = citationsForText(this.text, this.options.sources());
    const activity = surfaceFinalActivity(this.text, this.streamId, {
      aiLabel: this.aiLabel,
      citations,
      last: { feedbackLoop: this.feedbackLoop, attachments: this.attachments },
    });
    try {
      const response = await this.options.context.sendActivity(activity);
      const healthy = this.modelFailure === undefined && this.text !== this.options.failureText;
      return { kind: healthy ? 'completed' : 'failed', messageId: response?.id, text: this.text };
    } catch (error) {
      this.options.logger.error({ err: error }, 'the final message could not be delivered to the surface');
      return { kind: 'failed', messageId: undefined, text: this.text };
    }
  }
}
