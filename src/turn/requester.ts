import type { TurnContext } from 'botbuilder';
import { tenantOfActivity } from './tenantGate';

/** Where a conversation's data belongs: the tenant and conversation it was created in. */
export interface ConversationScope {
  tenantId: string;
  conversationId: string;
}

/**
 * The tenant and conversation of the turn's activity. The tenant gate has already refused activities whose
 * two tenant fields disagree. Without a tenant (Agents Playground, some emulators) the scope is still the
 * conversation, whose id is unique in Teams.
 */
export function conversationScopeOf(context: TurnContext): ConversationScope {
  const activity = context.activity;
  return {
    tenantId: tenantOfActivity(activity).tenantId ?? 'no-tenant',
    conversationId: activity.conversation?.id ?? 'no-conversation',
  };
}

/** Who sent the turn's activity, and in what kind of conversation. */
export interface Requester {
  /** AAD object id, or the Teams user id when Teams sends none (the id answers and feedback carry). */
  userId: string;
  /** The Teams user id (`from.id`), which keys botbuilder's user state. */
  channelUserId: string;
  userName: string | undefined;
  /** 'personal', 'groupChat' or 'channel'. */
  conversationType: string;
}

/** The sender of the turn's activity. */
export function requesterOf(context: TurnContext): Requester {
  const { from, conversation } = context.activity;
  return {
    userId: from?.aadObjectId ?? from?.id ?? 'unknown',
    channelUserId: from?.id ?? 'unknown',
    userName: from?.name,
    conversationType: conversation?.conversationType ?? 'personal',
  };
}
