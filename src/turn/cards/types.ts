/** One source the answer cited, as shown in the answer card. */
export interface CardSource {
  /** The `[n]` number the answer text uses for this source. */
  position: number;
  title: string;
  url?: string;
  snippet?: string;
}

/** Everything the answer card shows about one final answer. */
export interface AnswerCardInput {
  /** The Teams `activity.locale`; the card's labels are in this language (English when unsupported). */
  locale: string | undefined;
  /** The sources the answer actually cited, in position order. */
  sources: CardSource[];
  /** Tool names that ran this turn, in order, deduplicated by the caller. */
  toolsUsed: string[];
  /** Up to 3 follow-up questions; more are ignored. */
  followUps: string[];
  /** When true the card says plainly that the built-in offline model answered. */
  offlineModel: boolean;
}
