import type { UserConversation, UserConversationStore } from '../userConversations';
import type { PostgresDatabase } from './postgresDatabase';

interface UserConversationRow {
  user_id: string;
  tenant_id: string;
  conversation_id: string;
  conversation_type: string;
  conversation_state_key: string;
  user_state_key: string;
  last_seen_at: string;
}

/** UserConversationStore on PostgreSQL: the `user_conversations` table, as on SQLite. */
export class PostgresUserConversationStore implements UserConversationStore {
  constructor(private readonly db: PostgresDatabase) {}

  async note(entry: UserConversation): Promise<void> {
    await this.db.query(
      'recording where a person talked to the bot',
      `INSERT INTO user_conversations (user_id, tenant_id, conversation_id, conversation_type,
                                       conversation_state_key, user_state_key, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (user_id, conversation_id) DO UPDATE SET
         tenant_id = excluded.tenant_id, conversation_type = excluded.conversation_type,
         conversation_state_key = excluded.conversation_state_key, user_state_key = excluded.user_state_key,
         last_seen_at = excluded.last_seen_at`,
      [
        entry.userId,
        entry.tenantId,
        entry.conversationId,
        entry.conversationType,
        entry.conversationStateKey,
        entry.userStateKey,
        entry.lastSeenAt,
      ],
    );
  }

  async conversationsOf(userId: string): Promise<UserConversation[]> {
    const { rows } = await this.db.query<UserConversationRow>(
      "listing a person's conversations",
      `SELECT user_id, tenant_id, conversation_id, conversation_type, conversation_state_key, user_state_key,
              last_seen_at
       FROM user_conversations WHERE user_id = $1 ORDER BY last_seen_at DESC`,
      [userId],
    );
    return rows.map((row) => ({
      userId: row.user_id,
      tenantId: row.tenant_id,
      conversationId: row.conversation_id,
      conversationType: row.conversation_type,
      conversationStateKey: row.conversation_state_key,
      userStateKey: row.user_state_key,
      lastSeenAt: row.last_seen_at,
    }));
  }

  async forgetUser(userId: string): Promise<number> {
    const result = await this.db.query(
      "deleting a person's conversation index",
      'DELETE FROM user_conversations WHERE user_id = $1',
      [userId],
    );
    return result.rowCount ?? 0;
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.db.query(
      'deleting old conversation index entries',
      'DELETE FROM user_conversations WHERE last_seen_at < $1',
      [cutoff.toISOString()],
    );
    return result.rowCount ?? 0;
  }
}
