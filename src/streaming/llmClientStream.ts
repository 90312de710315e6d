/** The part of a streamer that teams-ai's LLMClient drives. */
export interface LlmStreamTarget {
  /** Appends model output. */
  queueTextChunk(text: string): void;
  /** Takes no more input; the final message is sent later, by the turn, once the outcome is known. */
  close(): void;
}

/**
 * What teams-ai 1.7.4's LLMClient calls on a streamer it finds in `state.temp.streamer` (lib/planners/
 * LLMClient.js): `queueTextChunk` for every text chunk, `setCitations` when a chunk carries Azure "on your
 * data" citations, and `endStream` when a model call ends with an answer (not a tool call). The setters it
 * calls on a StreamingResponse of its own (feedback loop, AI label, informative update) are never called on
 * a reused one, so they are not here. Written once for Teams and the in-process surfaces.
 *
 * `endStream` does not send the final message: it closes the stream to input and resolves at once. The turn
 * sends the final message itself, once, after the AI system returns, knowing whether the model failed.
 */
export class LlmClientStream {
  constructor(private readonly target: LlmStreamTarget) {}

  /** Appends model output. */
  queueTextChunk(text: string): void {
    this.target.queueTextChunk(text);
  }

  /** Ignored: citations come from the turn's sources and the `[n]` markers in the text. */
  setCitations(_citations: unknown): void {}

  /** The model call ended with an answer: no more input; the turn sends the final message. */
  endStream(): Promise<void> {
    this.target.close();
    return Promise.resolve();
  }
}
