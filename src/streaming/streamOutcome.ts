import type { ClientCitation } from './citations';

/**
 * Why an answer did not end in a single streamed message and continued in ordinary messages: `time` (the
 * stream neared or hit Teams' two-minute limit), `size` (the text, or the text with its card, was over the
 * message size budget).
 */
export type RolloverReason = 'time' | 'size';

/** Why an answer failed. */
export type StreamFailureCause =
  /** The model failed (after its retries); the error is the one the turn recorded. */
  | { kind: 'model'; error: unknown }
  /** A send to the Bot Connector failed; `summary` is one line with status, code and message. */
  | { kind: 'delivery'; status: number | undefined; summary: string }
  /** The model ended without writing anything. */
  | { kind: 'noAnswer' };

/** What reached the user of a completed or failed answer. */
interface DeliveredAnswer {
  /** The id of the answer's last message (the one with the feedback buttons), when it went out. */
  messageId: string | undefined;
  /** The whole answer text, notice or apology included. */
  text: string;
  /** The citations the whole text carries (the Teams streamer reports them; surfaces leave them out). */
  citations?: ClientCitation[];
}

/** The answer went out in full. `rolledOver` is present only when it continued in ordinary messages. */
export interface CompletedOutcome extends DeliveredAnswer {
  kind: 'completed';
  rolledOver?: RolloverReason;
}

/** The user stopped the answer; `shownText` is exactly the text the user saw. No final message was sent. */
export interface CancelledOutcome {
  kind: 'cancelled';
  shownText: string;
}

/**
 * The answer went out as well as it could (partial text with a notice, or an apology), but something failed.
 * `cause` is present where the streamer knows it (the Teams streamer); surfaces leave it out.
 */
export interface FailedOutcome extends DeliveredAnswer {
  kind: 'failed';
  cause?: StreamFailureCause;
}

/**
 * How one answer's stream ended: the one outcome type of every streamer (Teams and the in-process surfaces)
 * and of the turn. A stream never throws at its caller; it reports one of these instead.
 */
export type StreamOutcome = CompletedOutcome | CancelledOutcome | FailedOutcome;
