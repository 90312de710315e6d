import type { FeedbackStore, StateMaintenance, UserConversationStore, WorkItemStore } from '..';

/** The stores `forgetUser` deletes from. */
export interface ForgetStores {
  state: StateMaintenance;
  feedback: Pick<FeedbackStore, 'forgetUser'>;
  workItems: Pick<WorkItemStore, 'forgetCreator'>;
  userConversations: UserConversationStore;
}

/** What was deleted (or anonymized) for one person. */
export interface ForgetCounts {
  answers: number;
  feedback: number;
  /** Work items the person created in their 1:1 chat with the bot. */
  workItemsDeleted: number;
  /** Work items the person created in shared chats or channels: kept, creator cleared. */
  workItemsAnonymized: number;
  /** botbuilder state items: the person's user state and the history of their 1:1 chats. */
  stateItems: number;
  /** Entries of the who-talked-where index. */
  conversationIndex: number;
}

/**
 * Deletes one person's data everywhere: the answers they were given and the feedback they gave, their user
 * state, the history of their 1:1 chats with the bot, the work items they created in those 1:1 chats, and
 * the index of where they talked. Work items they created in shared conversations belong to the team: they
 * stay, with the creator's name and id removed. Histories of shared conversations are not rewritten; they
 * expire with RETENTION_DAYS.
 * @param userId the person's AAD object id (or the Teams user id for users without one).
 */
export async function forgetUser(userId: string, stores: ForgetStores): Promise<ForgetCounts> {
  const conversations = await stores.userConversations.conversationsOf(userId);
  const stateKeys = new Set<string>();
  for (const conversation of conversations) {
    stateKeys.add(conversation.userStateKey);
    if (conversation.conversationType === 'personal') stateKeys.add(conversation.conversationStateKey);
  }
  const stateItems = await stores.state.deleteStateKeys([...stateKeys]);
  const { answers, feedback } = await stores.feedback.forgetUser(userId);
  const workItems = await stores.workItems.forgetCreator(userId);
  const conversationIndex = await stores.userConversations.forgetUser(userId);
  return {
    answers,
    feedback,
    workItemsDeleted: workItems.deleted,
    workItemsAnonymized: workItems.anonymized,
    stateItems,
    conversationIndex,
  };
}
