import { StorageError } from '../shared/errors';

/** A source cited in an answer, numbered as in the answer text ([1], [2], …). */
export interface AnswerSource {
  position: number;
  title: string;
  url?: string;
}

/**
 * The tenant and conversation an answer was given in. An answer is identified by its scope and message id
 * (Teams message ids are unique within a conversation only), and feedback is tied only to an answer of its
 * own scope.
 */
export interface AnswerScope {
  tenantId: string;
  conversationId: string;
}

/** What the bot sent as a final answer: recorded when the final message is sent, so feedback can be tied to it. */
export interface AnswerRecord {
  messageId: string;
  conversationId: string;
  tenantId: string;
  userId: string;
  question: string;
  answer: string;
  sources: AnswerSource[];
  /** ISO 8601 */
  createdAt: string;
  /** Tokens the turn's model calls used; absent for answers recorded before usage was tracked. */
  usage?: AnswerTokenUsage;
}

/** Prompt and completion tokens of the turn that produced an answer. */
export interface AnswerTokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** True when the provider reported no usage and the tokens were counted with the tokenizer. */
  estimated: boolean;
}

/** Token totals over all recorded answers. */
export interface TokenUsageTotals {
  /** Answers with usage recorded. */
  answers: number;
  promptTokens: number;
  completionTokens: number;
  /** How many of those answers have estimated (not provider-reported) usage. */
  estimatedAnswers: number;
}

/** The two reactions of the Teams feedback buttons. */
export type Reaction = 'like' | 'dislike';

/** One press of a feedback button, with the optional comment the user typed. */
export interface FeedbackRecord {
  id: number;
  reaction: Reaction;
  comment: string;
  /** The bot message the feedback says it is about (its activity id), when Teams told us. */
  messageId: string | null;
  conversationId: string;
  tenantId: string;
  userId: string;
  /** ISO 8601 */
  createdAt: string;
  /**
   * Whether the feedback is tied to the answer `messageId`: decided once, when it is recorded, and true only if
   * that answer had been recorded in the same tenant and conversation by then. Feedback that is not linked
   * stays so: it is never joined to an answer recorded later under that message id.
   */
  linked: boolean;
}

/** What {@link FeedbackStore.recordFeedback} takes: the store assigns the id, the time and the link. */
export type NewFeedback = Omit<FeedbackRecord, 'id' | 'createdAt' | 'linked'>;

/** Feedback together with the answer it is linked to (undefined when it is not linked, or that answer is gone). */
export interface FeedbackWithAnswer extends FeedbackRecord {
  answer: AnswerRecord | undefined;
}

/** Totals over all feedback; `likeRatio` is likes / (likes + dislikes), null when there is none. */
export interface FeedbackSummary {
  likes: number;
  dislikes: number;
  likeRatio: number | null;
}

/** Likes and dislikes given on one UTC day. */
export interface DailyFeedbackCounts {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  likes: number;
  dislikes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Default number of entries `list` returns. */
export const DEFAULT_FEEDBACK_LIST_LIMIT = 50;

/**
 * The answers the bot gave and the likes and dislikes users gave them. One implementation per storage
 * backend (SQLite, PostgreSQL); both pass the same behaviour tests.
 */
export interface FeedbackStore {
  /** Records a final answer; recording the same messageId in the same tenant and conversation replaces it. */
  recordAnswer(answer: AnswerRecord): Promise<void>;
  /** The answer sent as message `messageId` in that tenant and conversation, or undefined. */
  getAnswer(scope: AnswerScope, messageId: string): Promise<AnswerRecord | undefined>;
  /** The most recent answer in that tenant and conversation, or undefined. */
  latestAnswer(scope: AnswerScope): Promise<AnswerRecord | undefined>;
  /**
   * Records a like or dislike, stamped with the clock's time, and links it to the answer `messageId` of the
   * same tenant and conversation if that answer is recorded at this moment (in the same statement); otherwise
   * it is kept unlinked for good.
   */
  recordFeedback(feedback: NewFeedback): Promise<FeedbackRecord>;
  /** Likes, dislikes and the like ratio over all feedback. */
  summary(): Promise<FeedbackSummary>;
  /** The most recent dislikes with their answers, newest first. */
  recentDislikes(limit: number): Promise<FeedbackWithAnswer[]>;
  /** The most recent likes with their answers, newest first. */
  recentLikes(limit: number): Promise<FeedbackWithAnswer[]>;
  /** All feedback with its answers, newest first (default 50). */
  list(limit?: number): Promise<FeedbackWithAnswer[]>;
  /**
   * Likes and dislikes per UTC day for the last `days` days up to the clock's today, oldest first, one entry
   * per day (days without feedback count zero).
   */
  dailyCounts(days: number): Promise<DailyFeedbackCounts[]>;
  /** Prompt and completion tokens summed over every answer that has usage recorded. */
  tokenTotals(): Promise<TokenUsageTotals>;
  /** Deletes answers and feedback created before `cutoff` (retention); returns how many of each. */
  deleteOlderThan(cutoff: Date): Promise<AnswersAndFeedbackCount>;
  /** Deletes every answer given to `userId` and every feedback `userId` gave; returns how many of each. */
  forgetUser(userId: string): Promise<AnswersAndFeedbackCount>;
}

/** How many answers and feedback entries an operation deleted. */
export interface AnswersAndFeedbackCount {
  answers: number;
  feedback: number;
}

/** The UTC days of the window `dailyCounts(days)` covers, oldest first, as YYYY-MM-DD. */
export function feedbackWindowDays(today: Date, days: number): string[] {
  const count = Number.isFinite(days) ? Math.max(0, Math.floor(days)) : 0;
  const todayStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: count }, (_, index) =>
    new Date(todayStart - (count - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** A list limit as given, or the default when it is not a finite number; never negative. */
export function feedbackListLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : DEFAULT_FEEDBACK_LIST_LIMIT;
}

/** Refuses anything but the two reactions of the Teams feedback buttons. */
export function requireReaction(reaction: string): Reaction {
  if (reaction !== 'like' && reaction !== 'dislike') throw new StorageError(`unknown reaction "${reaction}"`);
  return reaction;
}

/** Totals and the like ratio (likes / all, null when there is no feedback). */
export function feedbackSummary(likes: number, dislikes: number): FeedbackSummary {
  const total = likes + dislikes;
  return { likes, dislikes, likeRatio: total === 0 ? null : likes / total };
}

/** One entry per day of `window` (from feedbackWindowDays), taking the counts from `rows` and zero otherwise. */
export function fillFeedbackWindow(
  window: readonly string[],
  rows: readonly DailyFeedbackCounts[],
): DailyFeedbackCounts[] {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return window.map((day) => ({
    day,
    likes: byDay.get(day)?.likes ?? 0,
    dislikes: byDay.get(day)?.dislikes ?? 0,
  }));
}
