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
  type DailyFeedbackCounts,
  type FeedbackRecord,
  type FeedbackStore,
  type FeedbackSummary,
  type FeedbackWithAnswer,
  type Reaction,
  type TokenUsageTotals,
} from '../feedback';
import {
  ANSWER_COLUMNS,
  toAnswer,
  toFeedbackWithAnswer,
  type AnswerRow,
  type FeedbackJoinRow,
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
       ON CONFLICT (message_id) DO UPDATE SET
         conversation_id = excluded.conversation_id, tenant_id = excluded.tenant_id, user_id = excluded.user_id,
         question = excluded.question, answer = excluded.answer, sources = excluded.sources,
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

  async getAnswer(messageId: string): Promise<AnswerRecord | undefined> {
    const { rows } = await this.db.query<AnswerRow>(
      'reading an answer',
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE message_id = $1`,
      [messageId],
    );
    return rows[0] ? toAnswer(rows[0]) : undefined;
  }

  async latestAnswer(conversationId: string): Promise<AnswerRecord | undefined> {
    const { rows } = await this.db.query<AnswerRow>(
      'reading the latest answer',
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE conversation_id = $1
       ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [conversationId],
    );
    return rows[0] ? toAnswer(rows[0]) : undefined;
  }

  async recordFeedback(feedback: Omit<FeedbackRecord, 'id' | 'createdAt'>): Promise<FeedbackRecord> {
    const reaction = requireReaction(feedback.reaction);
    const createdAt = new Date(this.clock.now()).toISOString();
    const { rows } = await this.db.query<{ id: string }>(
      'recording feedback',
      `INSERT INTO feedback (reaction, comment, message_id, conversation_id, tenant_id, user_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
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
    return { ...feedback, reaction, id: Number(rows[0]?.id), createdAt };
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
      `SELECT f.id, f.reaction, f.comment, f.message_id, f.conversation_id, f.tenant_id, f.user_id, f.created_at,
              a.message_id AS a_message_id, a.conversation_id AS a_conversation_id, a.tenant_id AS a_tenant_id,
              a.user_id AS a_user_id, a.question AS a_question, a.answer AS a_answer, a.sources AS a_sources,
              a.created_at AS a_created_at, a.prompt_tokens AS a_prompt_tokens,
              a.completion_tokens AS a_completion_tokens, a.tokens_estimated AS a_tokens_estimated
       FROM feedback f LEFT JOIN answers a ON a.message_id = f.message_id
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
