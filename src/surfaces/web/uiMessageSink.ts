import type { UIMessage, UIMessageStreamWriter } from 'ai';
import type { ClientCitation } from '../../streaming';
import type {
  ConfirmationPrompt,
  SurfaceMessage,
  SurfaceSink,
  SurfaceToolCall,
  SurfaceToolResult,
  SurfaceTurnEnd,
} from '../inProcess';

/** Token usage in the finish part's metadata, named as the AI SDK names usage. */
export interface ChatUsageMetadata {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** True when the provider reported none and the tokens were counted with the tokenizer. */
  estimated: boolean;
}

/** The metadata of an assistant message on the web chat. */
export interface ChatMessageMetadata {
  conversationId: string;
  /** The id of the answer's final message (its feedback record). */
  answerId?: string;
  outcome?: SurfaceTurnEnd['outcome'];
  usage?: ChatUsageMetadata;
}

/**
 * The data parts the web chat sends: `data-status` (transient) carries the one-line status, and
 * `data-confirmation` (id: the confirmation id) a change waiting for the user's Confirm or Cancel.
 */
export interface ChatDataParts {
  status: { text: string };
  confirmation: ConfirmationPrompt;
  [name: string]: unknown;
}

/** The UI message type of the web chat. */
export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>;

/**
 * Writes what the assistant does during a turn as AI SDK UI message stream parts: a transient `data-status`
 * per status line, `tool-input-available` / `tool-output-available` per tool call, `text-start` /
 * `text-delta` / `text-end` for the answer, a `source-url` (or `source-document` when it has no URL) per
 * citation, a `data-confirmation` per change the user is asked to confirm, and `finish` with the token usage
 * in the message metadata. The turn's end is written as the `finish` part when the surface calls `finish`
 * (after the turn, so that confirmations, which come after the turn's end, are still part of the message).
 */
export class UIMessageSink implements SurfaceSink {
  private textId: string | undefined;
  private texts = 0;
  private finished = false;
  private ended: { finishReason: 'stop' | 'error'; metadata: ChatMessageMetadata } | undefined;

  constructor(
    private readonly writer: UIMessageStreamWriter<ChatUIMessage>,
    private readonly conversationId: string,
  ) {}

  /** True once the finish part was written. */
  get isFinished(): boolean {
    return this.finished;
  }

  onStatus(text: string): void {
    this.writer.write({ type: 'data-status', data: { text }, transient: true });
  }

  onTextDelta(delta: string): void {
    if (!this.textId) {
      this.texts += 1;
      this.textId = `text-${this.texts}`;
      this.writer.write({ type: 'text-start', id: this.textId });
    }
    this.writer.write({ type: 'text-delta', id: this.textId, delta });
  }

  onToolCall(call: SurfaceToolCall): void {
    this.endText();
    this.writer.write({
      type: 'tool-input-available',
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: call.input,
      dynamic: true,
    });
  }

  onToolResult(result: SurfaceToolResult): void {
    this.writer.write({
      type: 'tool-output-available',
      toolCallId: result.toolCallId,
      output: result.output,
      dynamic: true,
    });
  }

  onMessage(message: SurfaceMessage): void {
    // A message that was not streamed (help, welcome) arrives whole.
    if (!message.streamed && message.text.length > 0) this.onTextDelta(message.text);
    this.endText();
    for (const citation of message.citations) this.writer.write(sourcePart(citation));
  }

  onTurnEnd(end: SurfaceTurnEnd): void {
    this.endText();
    const { promptTokens, completionTokens, estimated } = end.usage;
    this.ended = {
      finishReason: end.outcome === 'failed' ? 'error' : 'stop',
      metadata: {
        conversationId: this.conversationId,
        outcome: end.outcome,
        ...(end.messageId ? { answerId: end.messageId } : {}),
        usage: {
          inputTokens: promptTokens,
          outputTokens: completionTokens,
          totalTokens: promptTokens + completionTokens,
          estimated,
        },
      },
    };
  }

  onConfirmation(prompt: ConfirmationPrompt): void {
    this.endText();
    this.writer.write({ type: 'data-confirmation', id: prompt.confirmationId, data: prompt });
  }

  /**
   * Ends the message (once): with how the answer turn ended and its usage when it did, else (help, a turn
   * that broke) with `finishReason`. `'error'` always wins.
   */
  finish(finishReason: 'stop' | 'error'): void {
    if (this.finished) return;
    this.endText();
    this.finished = true;
    const ended = this.ended;
    this.writer.write({
      type: 'finish',
      finishReason: finishReason === 'error' ? 'error' : (ended?.finishReason ?? 'stop'),
      messageMetadata: ended?.metadata ?? { conversationId: this.conversationId },
    });
  }

  private endText(): void {
    if (!this.textId) return;
    this.writer.write({ type: 'text-end', id: this.textId });
    this.textId = undefined;
  }
}

/** A citation as a source part: a link when it has a URL, else a document named by its title. */
function sourcePart(citation: ClientCitation): Parameters<UIMessageStreamWriter<ChatUIMessage>['write']>[0] {
  const sourceId = String(citation.position);
  const { name, url } = citation.appearance;
  return url
    ? { type: 'source-url', sourceId, url, title: name }
    : { type: 'source-document', sourceId, mediaType: 'text/markdown', title: name };
}
