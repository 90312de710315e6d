import path from 'node:path';
import { openDatabase, type AnswerSource, SqliteFeedbackStore } from '../../src/storage';
import { systemClock } from '../../src/shared/time';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One piece of feedback to record, `daysAgo` days before now, on an answer with this question. */
export interface SeededFeedback {
  reaction: 'like' | 'dislike';
  daysAgo: number;
  question: string;
  answer?: string;
  comment?: string;
  sources?: AnswerSource[];
}

/**
 * Records answers and feedback in the bot's database (its data folder), as the bot does when users press the
 * feedback buttons, through a second connection to the same SQLite file.
 */
export async function seedFeedback(dataDir: string, entries: readonly SeededFeedback[]): Promise<void> {
  const db = openDatabase({ file: path.join(dataDir, 'bot.sqlite') });
  try {
    let at = new Date();
    const store = new SqliteFeedbackStore(db, { ...systemClock, now: () => at.getTime() });
    for (const [index, entry] of entries.entries()) {
      at = new Date(Date.now() - entry.daysAgo * DAY_MS);
      const messageId = `seeded-${index + 1}`;
      await store.recordAnswer({
        messageId,
        conversationId: 'admin-chat',
        tenantId: 'tenant-1',
        userId: 'aad-user-1',
        question: entry.question,
        answer: entry.answer ?? `An answer to: ${entry.question}`,
        sources: entry.sources ?? [],
        createdAt: at.toISOString(),
      });
      await store.recordFeedback({
        reaction: entry.reaction,
        comment: entry.comment ?? '',
        messageId,
        conversationId: 'admin-chat',
        tenantId: 'tenant-1',
        userId: 'aad-user-1',
      });
    }
  } finally {
    db.close();
  }
}
