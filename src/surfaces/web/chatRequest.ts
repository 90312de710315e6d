import { z } from 'zod';

/** The longest question the web chat accepts, in characters. */
export const MAX_QUESTION_CHARS = 8000;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const anyPart = z.object({ type: z.string() }).passthrough();
const message = z
  .object({
    id: z.string().optional(),
    role: z.enum(['user', 'assistant', 'system']),
    parts: z.array(z.union([textPart, anyPart])).default([]),
  })
  .passthrough();

/** What the AI SDK's `useChat` (DefaultChatTransport) POSTs: the chat id and its messages. */
const body = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\w-]+$/, 'must be letters, digits, "_" or "-"'),
    messages: z.array(message).min(1),
  })
  .passthrough();

/** A valid chat request: the conversation and the question (the text of its last user message). */
export interface ChatRequest {
  chatId: string;
  question: string;
}

/**
 * Reads a `useChat` request body. The history is the server's (kept per chat id in the bot's store), so only
 * the last user message is read; earlier messages the client sends are not trusted as history.
 */
export function parseChatRequest(
  json: unknown,
): { ok: true; request: ChatRequest } | { ok: false; error: string } {
  const parsed = body.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
    return { ok: false, error: `Invalid chat request${where}: ${issue?.message ?? 'unknown problem'}` };
  }
  const last = parsed.data.messages.at(-1);
  if (last?.role !== 'user') return { ok: false, error: 'The last message must be the user’s question.' };
  const question = last.parts
    .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
    .join('\n')
    .trim();
  if (question.length === 0) return { ok: false, error: 'The question is empty.' };
  if (question.length > MAX_QUESTION_CHARS) {
    return { ok: false, error: `The question is longer than ${MAX_QUESTION_CHARS} characters.` };
  }
  return { ok: true, request: { chatId: parsed.data.id, question } };
}

/** The longest feedback comment the web chat accepts, in characters. */
export const MAX_FEEDBACK_COMMENT_CHARS = 2000;

const feedbackBody = z.object({
  chatId: body.shape.id,
  answerId: z.string().min(1).max(100),
  reaction: z.enum(['like', 'dislike']),
  comment: z.string().max(MAX_FEEDBACK_COMMENT_CHARS).default(''),
});

/** A like or dislike of one answer (its `answerId` comes from the finish part's metadata). */
export type FeedbackRequest = z.infer<typeof feedbackBody>;

/** Reads a `POST /api/chat/feedback` body. */
export function parseFeedbackRequest(
  json: unknown,
): { ok: true; request: FeedbackRequest } | { ok: false; error: string } {
  const parsed = feedbackBody.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
  return { ok: false, error: `Invalid feedback${where}: ${issue?.message ?? 'unknown problem'}` };
}

const confirmationBody = z.object({
  chatId: body.shape.id,
  confirmationId: z.string().min(1).max(100),
  decision: z.enum(['confirm', 'cancel']),
});

/** An answer to a change waiting for confirmation (its `confirmationId` comes from the `data-confirmation` part). */
export type ConfirmationRequest = z.infer<typeof confirmationBody>;

/** Reads a `POST /api/chat/confirm` body. */
export function parseConfirmationRequest(
  json: unknown,
): { ok: true; request: ConfirmationRequest } | { ok: false; error: string } {
  const parsed = confirmationBody.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at '${issue.path.join('.')}'` : '';
  return { ok: false, error: `Invalid confirmation${where}: ${issue?.message ?? 'unknown problem'}` };
}
