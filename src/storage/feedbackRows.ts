import { StorageError } from '../shared/errors';
import type { AnswerRecord, AnswerSource, AnswerTokenUsage, FeedbackWithAnswer, Reaction } from './feedback';

// The answers and feedback rows as both backends store them, and how they become records.

export interface AnswerRow {
  message_id: string;
  conversation_id: string;
  tenant_id: string;
  user_id: string;
  question: string;
  answer: string;
  sources: string;
  created_at: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  tokens_estimated: number | null;
}

export interface FeedbackRow {
  /** A number on SQLite; PostgreSQL returns BIGINT as a string. */
  id: number | string;
  reaction: Reaction;
  comment: string;
  message_id: string | null;
  conversation_id: string;
  tenant_id: string;
  user_id: string;
  created_at: string;
  /** The message id of the answer (same tenant and conversation) the feedback is linked to; null: none. */
  answer_message_id: string | null;
}

/** A feedback row LEFT JOINed with its answer: the answer columns are null when there is none. */
export interface FeedbackJoinRow extends FeedbackRow {
  a_message_id: string | null;
  a_conversation_id: string;
  a_tenant_id: string;
  a_user_id: string;
  a_question: string;
  a_answer: string;
  a_sources: string;
  a_created_at: string;
  a_prompt_tokens: number | null;
  a_completion_tokens: number | null;
  a_tokens_estimated: number | null;
}

/**
 * The feedback columns and those of its answer, for `FROM feedback f LEFT JOIN answers a ON` {@link
 * FEEDBACK_ANSWER_JOIN}: both backends read feedback with the same select list and join condition.
 */
export const FEEDBACK_JOIN_COLUMNS = `f.id, f.reaction, f.comment, f.message_id, f.conversation_id, f.tenant_id,
  f.user_id, f.created_at, f.answer_message_id,
  a.message_id AS a_message_id, a.conversation_id AS a_conversation_id, a.tenant_id AS a_tenant_id,
  a.user_id AS a_user_id, a.question AS a_question, a.answer AS a_answer, a.sources AS a_sources,
  a.created_at AS a_created_at, a.prompt_tokens AS a_prompt_tokens,
  a.completion_tokens AS a_completion_tokens, a.tokens_estimated AS a_tokens_estimated`;

/**
 * Feedback meets its answer only through the link decided when it was recorded (`answer_message_id`), and
 * only within its own tenant and conversation: never by message id alone.
 */
export const FEEDBACK_ANSWER_JOIN =
  'a.tenant_id = f.tenant_id AND a.conversation_id = f.conversation_id AND a.message_id = f.answer_message_id';

export const ANSWER_COLUMNS =
  'message_id, conversation_id, tenant_id, user_id, question, answer, sources, created_at, ' +
  'prompt_tokens, completion_tokens, tokens_estimated';

export interface TokenTotalsRow {
  answers: number;
  prompt_tokens: number;
  completion_tokens: number;
  estimated_answers: number;
}

/** An answers row as an AnswerRecord. */
export function toAnswer(row: AnswerRow): AnswerRecord {
  const usage: AnswerTokenUsage | undefined =
    row.prompt_tokens === null
      ? undefined
      : {
          promptTokens: row.prompt_tokens,
          completionTokens: row.completion_tokens ?? 0,
          estimated: row.tokens_estimated === 1,
        };
  return {
    messageId: row.message_id,
    conversationId: row.conversation_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    question: row.question,
    answer: row.answer,
    sources: parseSources(row),
    createdAt: row.created_at,
    ...(usage ? { usage } : {}),
  };
}

function parseSources(row: AnswerRow): AnswerSource[] {
  try {
    return JSON.parse(row.sources) as AnswerSource[];
  } catch (error) {
    throw new StorageError(`the sources stored for answer ${row.message_id} are not valid JSON`, false, {
      cause: error,
    });
  }
}

/** A feedback row joined with its answer as a FeedbackWithAnswer. */
export function toFeedbackWithAnswer(row: FeedbackJoinRow): FeedbackWithAnswer {
  const answer =
    row.a_message_id === null
      ? undefined
      : toAnswer({
          message_id: row.a_message_id,
          conversation_id: row.a_conversation_id,
          tenant_id: row.a_tenant_id,
          user_id: row.a_user_id,
          question: row.a_question,
          answer: row.a_answer,
          sources: row.a_sources,
          created_at: row.a_created_at,
          prompt_tokens: row.a_prompt_tokens,
          completion_tokens: row.a_completion_tokens,
          tokens_estimated: row.a_tokens_estimated,
        });
  return {
    id: Number(row.id),
    reaction: row.reaction,
    comment: row.comment,
    messageId: row.message_id,
    conversationId: row.conversation_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    createdAt: row.created_at,
    linked: row.answer_message_id !== null,
    answer,
  };
}
