import type { FeedbackStore, StateMaintenance, UserConversationStore } from '..';

/** The stores a retention sweep deletes from. */
export interface RetentionStores {
  /** botbuilder state: conversation history and user state. */
  state: StateMaintenance;
  feedback: Pick<FeedbackStore, 'deleteOlderThan'>;
  userConversations: Pick<UserConversationStore, 'deleteOlderThan'>;
}

/** What one sweep deleted. */
export interface RetentionCounts {
  stateItems: number;
  answers: number;
  feedback: number;
  conversationIndex: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment before which data is deleted when it is kept `days` days. */
export function retentionCutoff(nowMs: number, days: number): Date {
  return new Date(nowMs - days * DAY_MS);
}

/**
 * Deletes what is older than `cutoff`: conversation history and user state not written since, answers and
 * feedback created before it, and the index of who talked where last seen before it. Work items are team
 * data with their own life cycle and are not touched.
 */
export async function sweepExpiredData(stores: RetentionStores, cutoff: Date): Promise<RetentionCounts> {
  const stateItems = await stores.state.deleteStateOlderThan(cutoff);
  const { answers, feedback } = await stores.feedback.deleteOlderThan(cutoff);
  const conversationIndex = await stores.userConversations.deleteOlderThan(cutoff);
  return { stateItems, answers, feedback, conversationIndex };
}
