import type { Attachment } from 'botbuilder';
import type { TokenUsage } from '../../model';
import type { ClientCitation } from '../../streaming';

/** A tool the model called, as a surface shows it. */
export interface SurfaceToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** What a tool handed back to the model. */
export interface SurfaceToolResult {
  toolCallId: string;
  toolName: string;
  output: unknown;
}

/** A message the bot sent, as the in-process adapter delivers it. */
export interface SurfaceMessage {
  id: string;
  text: string;
  /** True for the final message of a streamed answer: its text already arrived as text deltas. */
  streamed: boolean;
  /** The citations the message carries (the same schema.org Claims Teams gets), in order. */
  citations: ClientCitation[];
  attachments: Attachment[];
  /** True when the message is AI generated (carries the AI label). */
  aiGenerated: boolean;
}

/** One field of a pending change as shown: its localized label and the values before and after. */
export interface ConfirmationField {
  label: string;
  before: string;
  after: string;
}

/** One work item of a pending change as shown: its heading ('WI-3 "Rotate keys"') and its fields. */
export interface ConfirmationItem {
  heading: string;
  fields: ConfirmationField[];
}

/**
 * A change waiting for the user's confirmation, localized and ready to show: what a Teams confirmation card
 * shows, for surfaces that render it themselves. Answering it goes through `InProcessChannel.sendConfirmation`
 * with `confirmationId`, to the same handler as the card's buttons.
 */
export interface ConfirmationPrompt {
  confirmationId: string;
  title: string;
  intro: string;
  items: ConfirmationItem[];
  confirmLabel: string;
  cancelLabel: string;
}

/** How an answer turn ended on a surface. */
export interface SurfaceTurnEnd {
  outcome: 'completed' | 'failed' | 'cancelled';
  /** The id of the answer's final message (its feedback record), when one was sent. */
  messageId: string | undefined;
  /** Prompt and completion tokens of all the turn's model calls. */
  usage: TokenUsage;
}

/**
 * Where a surface (terminal, web) receives what the bot does during one turn. Called in this order: status
 * lines, tool calls and results and text deltas as they happen, then the final message (and any other
 * message the bot sends), then the turn's end, then any change the turn asks the user to confirm.
 * Implementations must not throw.
 */
export interface SurfaceSink {
  /** A one-line status: the informative update at the start, or a tool starting. */
  onStatus(text: string): void;
  /** New answer text, in order; the deltas of an answer add up to its final message's text. */
  onTextDelta(delta: string): void;
  onToolCall(call: SurfaceToolCall): void;
  onToolResult(result: SurfaceToolResult): void;
  /** A message activity the bot sent: the final answer message or any other reply (help, welcome). */
  onMessage(message: SurfaceMessage): void;
  /** The answer turn is over. Not called for turns that sent no streamed answer (e.g. help). */
  onTurnEnd(end: SurfaceTurnEnd): void;
  /** A change the turn asks the user to confirm or cancel (where Teams gets a confirmation card). */
  onConfirmation(prompt: ConfirmationPrompt): void;
}
