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
  type DailyFeedbackCounts,
  type FeedbackRecord,
  type FeedbackStore,
  type FeedbackSummary,
  type FeedbackWithAnswer,
  type NewFeedback,
  type Reaction,
  type TokenUsageTotals,
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
import type { PostgresDatabase } from './postgresDatabase';

/** FeedbackStore on PostgreSQL: the `answers` and `feedback` tables, as on SQLite. */
export class PostgresFeedbackStore implements FeedbackStore {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly clock: Clock = systemClock,
  ) {}

  async recordAnswer(answer: AnswerRecord): Promise<void> {
    await this.db.query(
      'recording an answer',
      `INSERT INTO answers (${ANSWER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, conversation_id, message_id) DO UPDATE SET
         user_id = excluded.user_id, question = excluded.question, answer = excluded.answer, sources = excluded.sources,
         created_at = excluded.created_at, prompt_tokens = excluded.prompt_tokens,
         completion_tokens = excluded.completion_tokens, tokens_estimated = excluded.tokens_estimated`,
      [
        answer.messageId,
        answer.conversationId,
        answer.tenantId,
        answer.userId,
        answer.question,
        answer.answer,
        JSON.stringify(answer.sources),
        answer.createdAt,
        answer.usage?.promptTokens ?? null,
        answer.usage?.completionTokens ?? null,
        answer.usage ? Number(answer.usage.estimated) : null,
      ],
    );
  }

  /** Prompt and completion tokens summed over every answer that has usage recorded. */
  async tokenTotals(): Promise<TokenUsageTotals> {
    // Sums as double precision: exact far beyond INTEGER's range, and pg returns them as numbers.
    const { rows } = await this.db.query<TokenTotalsRow>(
      'summing token usage',
      `SELECT count(*)::int AS answers, coalesce(sum(prompt_tokens), 0)::float8 AS prompt_tokens,
              coalesce(sum(completion_tokens), 0)::float8 AS completion_tokens,
              coalesce(sum(tokens_estimated), 0)::int AS estimated_answers
       FROM answers WHERE prompt_tokens IS NOT NULL`,
    );
    const row = rows[0];
    return {
      answers: row?.answers ?? 0,
      promptTokens: row?.prompt_tokens ?? 0,
      completionTokens: row?.completion_tokens ?? 0,
      estimatedAnswers: row?.estimated_answers ?? 0,
    };
  }

  async getAnswer(scope: AnswerScope, messageId: string): Promise<AnswerRecord | undefined> {
    const { rows } = await this.db.query<AnswerRow>(
      'reading an answer',
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE tenant_id = $1 AND conversation_id = $2 AND message_id = $3`,
      [scope.tenantId, scope.conversationId, messageId],
    );
    return rows[0] ? toAnswer(rows[0]) : undefined;
  }

  async latestAnswer(scope: AnswerScope): Promise<AnswerRecord | undefined> {
    const { rows } = await this.db.query<AnswerRow>(
      'reading the latest answer',
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE tenant_id = $1 AND conversation_id = $2
       ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [scope.tenantId, scope.conversationId],
    );
    return rows[0] ? toAnswer(rows[0]) : undefined;
  }

  async recordFeedback(feedback: NewFeedback): Promise<FeedbackRecord> {
    const reaction = requireReaction(feedback.reaction);
    const createdAt = new Date(this.clock.now()).toISOString();
    // The link is decided here, in the insert itself: the answer of this tenant and conversation with this
    // message id as recorded at this moment, or none for good.
    const { rows } = await this.db.query<Pick<FeedbackRow, 'answer_message_id'> & { id: string }>(
      'recording feedback',
      `INSERT INTO feedback (reaction, comment, message_id, conversation_id, tenant_id, user_id, created_at,
                             answer_message_id)
       VALUES ($1, $2, $3::text, $4::text, $5::text, $6, $7,
               (SELECT a.message_id FROM answers a
                WHERE a.tenant_id = $5 AND a.conversation_id = $4 AND a.message_id = $3))
       RETURNING id, answer_message_id`,
      [
        reaction,
        feedback.comment,
        feedback.messageId,
        feedback.conversationId,
        feedback.tenantId,
        feedback.userId,
        createdAt,
      ],
    );
    const inserted = rows[0];
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
    const { rows } = await this.db.query<{ likes: number; dislikes: number }>(
      'summarising feedback',
      `SELECT (count(*) FILTER (WHERE reaction = 'like'))::int AS likes,
              (count(*) FILTER (WHERE reaction = 'dislike'))::int AS dislikes
       FROM feedback`,
    );
    return feedbackSummary(rows[0]?.likes ?? 0, rows[0]?.dislikes ?? 0);
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
    const { rows } = await this.db.query<DailyFeedbackCounts>(
      'counting feedback per day',
      `SELECT substr(created_at, 1, 10) AS day,
              (count(*) FILTER (WHERE reaction = 'like'))::int AS likes,
              (count(*) FILTER (WHERE reaction = 'dislike'))::int AS dislikes
       FROM feedback WHERE created_at >= $1 GROUP BY day ORDER BY day`,
      [window[0]],
    );
    return fillFeedbackWindow(window, rows);
  }

  private async recent(reaction: Reaction | null, limit: number): Promise<FeedbackWithAnswer[]> {
    const { rows } = await this.db.query<FeedbackJoinRow>(
      'listing feedback',
      `SELECT ${FEEDBACK_JOIN_COLUMNS}
       FROM feedback f LEFT JOIN answers a ON ${FEEDBACK_ANSWER_JOIN}
       WHERE $1::text IS NULL OR f.reaction = $1
       ORDER BY f.created_at DESC, f.id DESC
       LIMIT $2`,
      [reaction, feedbackListLimit(limit)],
    );
    return rows.map(toFeedbackWithAnswer);
  }

  async deleteOlderThan(cutoff: Date): Promise<AnswersAndFeedbackCount> {
    const before = cutoff.toISOString();
    return this.db.transaction('deleting old answers and feedback', async (tx) => {
      const answers = await tx.query('DELETE FROM answers WHERE created_at < $1', [before]);
      const feedback = await tx.query('DELETE FROM feedback WHERE created_at < $1', [before]);
      return { answers: answers.rowCount ?? 0, feedback: feedback.rowCount ?? 0 };
    });
  }

  async forgetUser(userId: string): Promise<AnswersAndFeedbackCount> {
    return this.db.transaction("deleting a person's answers and feedback", async (tx) => {
      const answers = await tx.query('DELETE FROM answers WHERE user_id = $1', [userId]);
      const feedback = await tx.query('DELETE FROM feedback WHERE user_id = $1', [userId]);
      return { answers: answers.rowCount ?? 0, feedback: feedback.rowCount ?? 0 };
    });
  }
}
