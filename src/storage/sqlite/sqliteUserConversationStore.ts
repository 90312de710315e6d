import type { UserConversation, UserConversationStore } from '../userConversations';
import type { Db } from './database';
import { runStorage } from './storageErrors';

interface UserConversationRow {
  user_id: string;
  tenant_id: string;
  conversation_id: string;
  conversation_type: string;
  conversation_state_key: string;
  user_state_key: string;
  last_seen_at: string;
}

/** UserConversationStore on SQLite: the `user_conversations` table. */
export class SqliteUserConversationStore implements UserConversationStore {
  private readonly upsert;
  private readonly selectOfUser;
  private readonly deleteOfUser;
  private readonly deleteBefore;

  constructor(db: Db) {
    this.upsert = db.prepare<[UserConversationRow]>(
      `INSERT INTO user_conversations (user_id, tenant_id, conversation_id, conversation_type,
                                       conversation_state_key, user_state_key, last_seen_at)
       VALUES (@user_id, @tenant_id, @conversation_id, @conversation_type, @conversation_state_key,
               @user_state_key, @last_seen_at)
       ON CONFLICT (user_id, conversation_id) DO UPDATE SET
         tenant_id = excluded.tenant_id, conversation_type = excluded.conversation_type,
         conversation_state_key = excluded.conversation_state_key, user_state_key = excluded.user_state_key,
         last_seen_at = excluded.last_seen_at`,
    );
    this.selectOfUser = db.prepare<[string], UserConversationRow>(
      `SELECT user_id, tenant_id, conversation_id, conversation_type, conversation_state_key, user_state_key,
              last_seen_at
       FROM user_conversations WHERE user_id = ? ORDER BY last_seen_at DESC`,
    );
    this.deleteOfUser = db.prepare<[string]>('DELETE FROM user_conversations WHERE user_id = ?');
    this.deleteBefore = db.prepare<[string]>('DELETE FROM user_conversations WHERE last_seen_at < ?');
  }

  async note(entry: UserConversation): Promise<void> {
    runStorage('recording where a person talked to the bot', () =>
      this.upsert.run({
        user_id: entry.userId,
        tenant_id: entry.tenantId,
        conversation_id: entry.conversationId,
        conversation_type: entry.conversationType,
        conversation_state_key: entry.conversationStateKey,
        user_state_key: entry.userStateKey,
        last_seen_at: entry.lastSeenAt,
      }),
    );
  }

  async conversationsOf(userId: string): Promise<UserConversation[]> {
    const rows = runStorage("listing a person's conversations", () => this.selectOfUser.all(userId));
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
    return runStorage("deleting a person's conversation index", () => this.deleteOfUser.run(userId).changes);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    return runStorage(
      'deleting old conversation index entries',
      () => this.deleteBefore.run(cutoff.toISOString()).changes,
    );
  }
}
