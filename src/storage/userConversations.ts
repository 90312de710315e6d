/** One conversation a person talked to the bot in, with the botbuilder state keys that hold their data. */
export interface UserConversation {
  /** AAD object id, or the Teams user id when Teams sends none: the same id answers and feedback carry. */
  userId: string;
  tenantId: string;
  conversationId: string;
  /** 'personal' (1:1 chat with the bot), 'groupChat' or 'channel'. */
  conversationType: string;
  /** The botbuilder Storage key of the conversation's state (history). */
  conversationStateKey: string;
  /** The botbuilder Storage key of the person's user state. */
  userStateKey: string;
  /** ISO 8601 */
  lastSeenAt: string;
}

/**
 * Who talked to the bot where: the index that lets `npm run forget` find a person's 1:1 history and user
 * state, which botbuilder keys by conversation and Teams user id only. One implementation per backend.
 */
export interface UserConversationStore {
  /** Records (or refreshes) that the person talked in the conversation. */
  note(entry: UserConversation): Promise<void>;
  /** Every conversation the person talked in, most recent first. */
  conversationsOf(userId: string): Promise<UserConversation[]>;
  /** Deletes the person's entries; returns how many. */
  forgetUser(userId: string): Promise<number>;
  /** Deletes entries last seen before `cutoff` (retention); returns how many. */
  deleteOlderThan(cutoff: Date): Promise<number>;
}

/** Housekeeping on the botbuilder state store (conversation history and user state). */
export interface StateMaintenance {
  /** Deletes state items last written before `cutoff` (retention); returns how many. */
  deleteStateOlderThan(cutoff: Date): Promise<number>;
  /** Deletes the state items with these keys; returns how many existed. */
  deleteStateKeys(keys: readonly string[]): Promise<number>;
}
