/** Prompt and completion tokens of one model call or of a whole turn. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when any part was counted with the tokenizer because the provider reported no usage. */
  estimated: boolean;
}

/**
 * The token usage of one turn: the sum over its model calls (a turn with a tool round makes two or more).
 * Filled by the metered model client (see `meterTokenUsage`), read when the turn ends.
 */
export class TurnUsage {
  private prompt = 0;
  private completion = 0;
  private anyEstimated = false;
  private calls = 0;

  /** Adds the usage of one model call. */
  add(usage: TokenUsage): void {
    this.prompt += usage.promptTokens;
    this.completion += usage.completionTokens;
    this.anyEstimated ||= usage.estimated;
    this.calls += 1;
  }

  /** Number of model calls counted so far. */
  get modelCalls(): number {
    return this.calls;
  }

  /** The sum so far; zero tokens (not estimated) when no model call was made. */
  get total(): TokenUsage {
    return { promptTokens: this.prompt, completionTokens: this.completion, estimated: this.anyEstimated };
  }
}
