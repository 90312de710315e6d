import { GPTTokenizer, type Tokenizer } from '@microsoft/teams-ai';

/** What a caching tokenizer remembers. */
export interface CachingTokenizerOptions {
  /** The tokenizer that does the work; default teams-ai's GPTTokenizer (what the ActionPlanner uses). */
  inner?: Tokenizer;
  /** The most texts remembered (least recently used forgotten first); default 256. */
  maxEntries?: number;
  /** Texts shorter than this are encoded every time (cheap, and too many to be worth remembering); default 64. */
  minLength?: number;
}

/**
 * A tokenizer that remembers the tokens of the longer texts it encoded. teams-ai renders the prompt for every
 * model call and counts each section's tokens to fit the budget: the rendered system prompt, the tool
 * definitions and the older history messages are the same text turn after turn, and their byte-pair encoding
 * was the largest cost of a turn's prompt rendering in the benchmark's CPU profile. The token arrays handed out
 * are frozen: callers share them.
 */
export class CachingTokenizer implements Tokenizer {
  private readonly inner: Tokenizer;
  private readonly maxEntries: number;
  private readonly minLength: number;
  private readonly remembered = new Map<string, readonly number[]>();

  constructor(options: CachingTokenizerOptions = {}) {
    this.inner = options.inner ?? new GPTTokenizer();
    this.maxEntries = options.maxEntries ?? 256;
    this.minLength = options.minLength ?? 64;
  }

  /** The tokens of `text`, remembered for texts of at least `minLength` characters. */
  encode(text: string): number[] {
    if (text.length < this.minLength) return this.inner.encode(text);
    const known = this.remembered.get(text);
    if (known) {
      // Least recently used order: a hit moves to the end.
      this.remembered.delete(text);
      this.remembered.set(text, known);
      // The array is frozen; teams-ai's Tokenizer type says number[] and its callers only read it.
      return known as number[];
    }
    const tokens = Object.freeze(this.inner.encode(text));
    this.remembered.set(text, tokens);
    if (this.remembered.size > this.maxEntries) {
      const oldest = this.remembered.keys().next();
      if (!oldest.done) this.remembered.delete(oldest.value);
    }
    return tokens as number[];
  }

  decode(tokens: number[]): string {
    return this.inner.decode(tokens);
  }
}
