import { StorageError } from '../../shared/errors';
import { systemClock, type Clock } from '../../shared/time';
import {
  DEFAULT_FEEDBACK_LIST_LIMIT,
  feedbackListLimit,
  feedbackSummary,
  feedbackWindowDays,
  fillFeedbackWindow,
  requireReaction,
  type AnswersAndFeedbackCount,
  type AnswerRecord,
  type AnswerScope,
  type TokenUsageTotals,
  type DailyFeedbackCounts,
  type FeedbackRecord,
  type FeedbackStore,
  type FeedbackSummary,
  type FeedbackWithAnswer,
  type NewFeedback,
  type Reaction,
} from '../feedback';
import {
  ANSWER_COLUMNS,
  FEEDBACK_ANSWER_JOIN,
  FEEDBACK_JOIN_COLUMNS,
  toAnswer,
  toFeedbackWithAnswer,
  type AnswerRow,
  type FeedbackJoinRow,
  type FeedbackRow,
  type TokenTotalsRow,
} from '../feedbackRows';
import type { Db } from './database';
import { runStorage } from './storageErrors';

/** The named parameters that identify one answer. */
interface AnswerKey {
  tenant_id: string;
  conversation_id: string;
  message_id: string;
}

/** FeedbackStore on SQLite: the `answers` and `feedback` tables. */
export class SqliteFeedbackStore implements FeedbackStore {
  private readonly upsertAnswer;
  private readonly selectAnswer;
  private readonly selectLatestAnswer;
  private readonly insertFeedback;
  private readonly countByReaction;
  private readonly selectRecent;
  private readonly countByDay;
  private readonly sumTokens;
  private readonly deleteAnswersBefore;
  private readonly deleteFeedbackBefore;
  private readonly deleteAnswersOfUser;
  private readonly deleteFeedbackOfUser;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {
    this.deleteAnswersBefore = db.prepare<[string]>('DELETE FROM answers WHERE created_at < ?');
    this.deleteFeedbackBefore = db.prepare<[string]>('DELETE FROM feedback WHERE created_at < ?');
    this.deleteAnswersOfUser = db.prepare<[string]>('DELETE FROM answers WHERE user_id = ?');
    this.deleteFeedbackOfUser = db.prepare<[string]>('DELETE FROM feedback WHERE user_id = ?');
    this.upsertAnswer = db.prepare<[AnswerRow]>(
      `INSERT INTO answers (${ANSWER_COLUMNS})
       VALUES (@message_id, @conversation_id, @tenant_id, @user_id, @question, @answer, @sources, @created_at,
               @prompt_tokens, @completion_tokens, @tokens_estimated)
       ON CONFLICT (tenant_id, conversation_id, message_id) DO UPDATE SET
         user_id = excluded.user_id, question = excluded.question, answer = excluded.answer, sources = excluded.sources,
         created_at = excluded.created_at, prompt_tokens = excluded.prompt_tokens,
         completion_tokens = excluded.completion_tokens, tokens_estimated = excluded.tokens_estimated`,
    );
    this.selectAnswer = db.prepare<[AnswerKey], AnswerRow>(
      `SELECT ${ANSWER_COLUMNS} FROM answers
       WHERE tenant_id = @tenant_id AND conversation_id = @conversation_id AND message_id = @message_id`,
    );
    this.selectLatestAnswer = db.prepare<[Omit<AnswerKey, 'message_id'>], AnswerRow>(
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE tenant_id = @tenant_id AND conversation_id = @conversation_id
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    );
    // The link is decided here, in the insert itself: the answer of this tenant and conversation with this
    // message id as recorded at this moment, or none for good.
    this.insertFeedback = db.prepare<
      [Omit<FeedbackRow, 'id' | 'answer_message_id'>],
      Pick<FeedbackRow, 'answer_message_id'> & { id: number }
    >(
      `INSERT INTO feedback (reaction, comment, message_id, conversation_id, tenant_id, user_id, created_at,
                             answer_message_id)
       VALUES (@reaction, @comment, @message_id, @conversation_id, @tenant_id, @user_id, @created_at,
               (SELECT message_id FROM answers
                WHERE tenant_id = @tenant_id AND conversation_id = @conversation_id AND message_id = @message_id))
       RETURNING id, answer_message_id`,
    );
    this.countByReaction = db.prepare<[], { likes: number; dislikes: number }>(
      `SELECT coalesce(sum(reaction = 'like'), 0) AS likes, coalesce(sum(reaction = 'dislike'), 0) AS dislikes
       FROM feedback`,
    );
    this.selectRecent = db.prepare<[{ reaction: Reaction | null; limit: number }], FeedbackJoinRow>(
      `SELECT ${FEEDBACK_JOIN_COLUMNS}
       FROM feedback f LEFT JOIN answers a ON ${FEEDBACK_ANSWER_JOIN}
       WHERE @reaction IS NULL OR f.reaction = @reaction
       ORDER BY f.created_at DESC, f.id DESC
       LIMIT @limit`,
    );
    this.countByDay = db.prepare<[string], DailyFeedbackCounts>(
      `SELECT substr(created_at, 1, 10) AS day, sum(reaction = 'like') AS likes,
              sum(reaction = 'dislike') AS dislikes
       FROM feedback WHERE created_at >= ? GROUP BY day ORDER BY day`,
    );
    this.sumTokens = db.prepare<[], TokenTotalsRow>(
      `SELECT count(*) AS answers, coalesce(sum(prompt_tokens), 0) AS prompt_tokens,
              coalesce(sum(completion_tokens), 0) AS completion_tokens,
              coalesce(sum(tokens_estimated), 0) AS estimated_answers
       FROM answers WHERE prompt_tokens IS NOT NULL`,
    );
  }

  async recordAnswer(answer: AnswerRecord): Promise<void> {
    runStorage('recording an answer', () =>
      this.upsertAnswer.run({
        message_id: answer.messageId,
        conversation_id: answer.conversationId,
        tenant_id: answer.tenantId,
        user_id: answer.userId,
        question: answer.question,
        answer: answer.answer,
        sources: JSON.stringify(answer.sources),
        created_at: answer.createdAt,
        prompt_tokens: answer.usage?.promptTokens ?? null,
        completion_tokens: answer.usage?.completionTokens ?? null,
        tokens_estimated: answer.usage ? Number(answer.usage.estimated) : null,
      }),
    );
  }

  /** Prompt and completion tokens summed over every answer that has usage recorded. */
  async tokenTotals(): Promise<TokenUsageTotals> {
    const row = runStorage('summing token usage', () => this.sumTokens.get());
    return {
      answers: row?.answers ?? 0,
      promptTokens: row?.prompt_tokens ?? 0,
      completionTokens: row?.completion_tokens ?? 0,
      estimatedAnswers: row?.estimated_answers ?? 0,
    };
  }

  async getAnswer(scope: AnswerScope, messageId: string): Promise<AnswerRecord | undefined> {
    const row = runStorage('reading an answer', () =>
      this.selectAnswer.get({
        tenant_id: scope.tenantId,
        conversation_id: scope.conversationId,
        message_id: messageId,
      }),
    );
    return row ? toAnswer(row) : undefined;
  }

  async latestAnswer(scope: AnswerScope): Promise<AnswerRecord | undefined> {
    const row = runStorage('reading the latest answer', () =>
      this.selectLatestAnswer.get({ tenant_id: scope.tenantId, conversation_id: scope.conversationId }),
    );
    return row ? toAnswer(row) : undefined;
  }

  async recordFeedback(feedback: NewFeedback): Promise<FeedbackRecord> {
    const reaction = requireReaction(feedback.reaction);
    const createdAt = new Date(this.clock.now()).toISOString();
    const inserted = runStorage('recording feedback', () =>
      this.insertFeedback.get({
        reaction,
        comment: feedback.comment,
        message_id: feedback.messageId,
        conversation_id: feedback.conversationId,
        tenant_id: feedback.tenantId,
        user_id: feedback.userId,
        created_at: createdAt,
      }),
    );
    if (!inserted) throw new StorageError('recording feedback returned no row');
    return {
      ...feedback,
      reaction,
      id: Number(inserted.id),
      createdAt,
      linked: inserted.answer_message_id !== null,
    };
  }

  async summary(): Promise<FeedbackSummary> {
    const counts = runStorage('summarising feedback', () => this.countByReaction.get());
    return feedbackSummary(counts?.likes ?? 0, counts?.dislikes ?? 0);
  }

  async recentDislikes(limit: number): Promise<FeedbackWithAnswer[]> {
    return this.recent('dislike', limit);
  }

  async recentLikes(limit: number): Promise<FeedbackWithAnswer[]> {
    return this.recent('like', limit);
  }

  async list(limit: number = DEFAULT_FEEDBACK_LIST_LIMIT): Promise<FeedbackWithAnswer[]> {
    return this.recent(null, limit);
  }

  async dailyCounts(days: number): Promise<DailyFeedbackCounts[]> {
    const window = feedbackWindowDays(new Date(this.clock.now()), days);
    if (window.length === 0) return [];
    const rows = runStorage('counting feedback per day', () => this.countByDay.all(window[0]));
    return fillFeedbackWindow(window, rows);
  }

  async deleteOlderThan(cutoff: Date): Promise<AnswersAndFeedbackCount> {
    const before = cutoff.toISOString();
    return runStorage('deleting old answers and feedback', () =>
      this.db.transaction(() => ({
        answers: this.deleteAnswersBefore.run(before).changes,
        feedback: this.deleteFeedbackBefore.run(before).changes,
      }))(),
    );
  }

  async forgetUser(userId: string): Promise<AnswersAndFeedbackCount> {
    return runStorage("deleting a person's answers and feedback", () =>
      this.db.transaction(() => ({
        answers: this.deleteAnswersOfUser.run(userId).changes,
        feedback: this.deleteFeedbackOfUser.run(userId).changes,
      }))(),
    );
  }

  private recent(reaction: Reaction | null, limit: number): FeedbackWithAnswer[] {
    const rows = runStorage('listing feedback', () =>
      this.selectRecent.all({ reaction, limit: feedbackListLimit(limit) }),
    );
    return rows.map(toFeedbackWithAnswer);
  }
}
