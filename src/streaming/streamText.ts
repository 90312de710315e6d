import { normalizeCitationMarkers } from './citations';

/**
 * The answer text of one Teams stream and how far it has gone out. The answer may span several messages
 * (the stream's final message, then ordinary messages after a roll-over); the "current message" is the text
 * from `messageStart` on.
 */
export class StreamText {
  private value = '';
  /** Where the current message starts; earlier text already went out in finished messages. */
  private messageStart = 0;
  /** How much of the current message the user has seen in a streaming update. */
  private shown = 0;

  /** The whole answer text so far. */
  get all(): string {
    return this.value;
  }

  /** How much of the current message the user has seen in a streaming update. */
  get shownLength(): number {
    return this.shown;
  }

  /** Appends model output (`[docN]` markers become `[N]`). */
  append(chunk: string): void {
    this.value = normalizeCitationMarkers(this.value + chunk);
  }

  /** Replaces the whole text (the final text, with its notice or apology). */
  replace(text: string): void {
    this.value = text;
  }

  /** The text of the current message. */
  currentMessage(): string {
    return this.value.slice(this.messageStart);
  }

  /** The user has seen the first `length` characters of the current message. */
  markShown(length: number): void {
    this.shown = length;
  }

  /** The first `length` characters of the current message went out as a finished message. */
  finishMessage(length: number): void {
    this.messageStart += length;
    this.shown = 0;
  }

  /** The stream broke: what the user saw stays; everything after it belongs to the next message. */
  keepShown(): void {
    this.finishMessage(this.shown);
  }

  /** Exactly the text the user has seen. */
  shownText(): string {
    return this.value.slice(0, this.messageStart + this.shown);
  }
}
