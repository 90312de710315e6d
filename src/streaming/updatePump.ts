import type { Clock } from '../shared/time';
import type { ClientCitation } from './citations';
import type { MessageDelivery } from './messageDelivery';
import { streamUpdateActivity } from './streamActivities';
import { STREAM_LIMITS } from './streamLimits';
import type { RolloverReason } from './streamOutcome';
import type { StreamText } from './streamText';

/** What the update pump needs from its streamer. */
export interface UpdatePumpOptions {
  text: StreamText;
  delivery: MessageDelivery;
  clock: Clock;
  /** The citations of an update's text. */
  citations: (text: string) => ClientCitation[];
  /** The stream is finalized this long after its first update; the rest follows as ordinary messages. */
  finalizeStreamAfterMs: number;
}

/**
 * The live updates of a Teams stream: strictly serialised, at least one second apart, and coalescing (text
 * that arrives while an update waits for its slot goes into that update, which carries the whole text of
 * the current message). Near the time limit, or when an update would be over the size budget, it hands the
 * stream to the delivery's roll-over. One pump runs at a time; it never rejects.
 */
export class UpdatePump {
  private informative: string | undefined;
  private sentInformative: string | undefined;
  private sequence = 1;
  private streamStartedAt: number | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: UpdatePumpOptions) {}

  /** Sets the informative text (cut to Teams' limit) that the next update shows while no answer text exists. */
  setInformative(text: string): void {
    this.informative = text.slice(0, STREAM_LIMITS.maxInformativeChars);
  }

  /** Starts sending unless a pump is already running (it will pick up what is new). */
  kick(): void {
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Sends no more updates (the one in flight completes) and resolves when the pump is idle. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.running ?? Promise.resolve();
  }

  /** Sends updates one after another until nothing new is pending. Never rejects. */
  private async run(): Promise<void> {
    const { delivery, text } = this.options;
    while (this.canSend() && this.nextUpdate() !== undefined) {
      await delivery.waitForSendSlot();
      if (!this.canSend()) return;
      // Text that arrived while waiting is merged into this update.
      const update = this.nextUpdate();
      if (!update) return;
      const activity = streamUpdateActivity(
        update.streamType,
        update.text,
        this.sequence,
        delivery.streamId,
        update.streamType === 'streaming' ? this.options.citations(update.text) : [],
      );
      if (update.streamType === 'streaming' && delivery.streamId) {
        const reason = this.rolloverReason(delivery.fits(activity));
        if (reason) {
          await delivery.rollOver(reason);
          return;
        }
      }
      const shownText = update.streamType === 'streaming' ? update.text : undefined;
      if (!(await delivery.sendUpdate(activity, { shownText, streamSequence: this.sequence }))) return;
      this.sequence += 1;
      this.streamStartedAt ??= this.options.clock.now();
      if (update.streamType === 'informative') this.sentInformative = update.text;
      else text.markShown(update.text.length);
    }
  }

  private canSend(): boolean {
    const { delivery } = this.options;
    return !this.stopped && !delivery.cancelled && !delivery.streamClosed;
  }

  private nextUpdate(): { streamType: 'informative' | 'streaming'; text: string } | undefined {
    const { text } = this.options;
    const segment = text.currentMessage();
    if (segment.length > 0) {
      return segment.length !== text.shownLength ? { streamType: 'streaming', text: segment } : undefined;
    }
    if (this.informative !== undefined && this.informative !== this.sentInformative) {
      return { streamType: 'informative', text: this.informative };
    }
    return undefined;
  }

  /** Near the two-minute limit, or when the next update would be too large, the stream must end now. */
  private rolloverReason(updateFits: boolean): RolloverReason | undefined {
    const age = this.streamStartedAt === undefined ? 0 : this.options.clock.now() - this.streamStartedAt;
    if (age >= this.options.finalizeStreamAfterMs) return 'time';
    return updateFits ? undefined : 'size';
  }
}
