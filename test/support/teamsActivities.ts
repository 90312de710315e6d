/**
 * Inbound activities from a chosen tenant, conversation and user, for tests of tenant and user scope:
 * feedback and Adaptive Card button presses (Action.Execute) as Teams sends them.
 */

let counter = 0;

/** Who sends an activity, and where. */
export interface Sender {
  tenantId: string;
  conversationId: string;
  userId: string;
  conversationType?: string;
  /** Defaults to `msteams`; Microsoft 365 Copilot Chat sends `msteams:Copilot`. */
  channelId?: string;
}

function envelope(sender: Sender): Record<string, unknown> {
  counter += 1;
  return {
    id: `scoped-inbound-${counter}`,
    channelId: sender.channelId ?? 'msteams',
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    from: { id: `29:${sender.userId}`, name: `User ${sender.userId}`, aadObjectId: sender.userId },
    recipient: { id: 'bot-1', name: 'Stream Assistant' },
    conversation: {
      id: sender.conversationId,
      conversationType: sender.conversationType ?? 'personal',
      tenantId: sender.tenantId,
    },
    channelData: { tenant: { id: sender.tenantId } },
  };
}

/** A user's message. */
export function messageFrom(sender: Sender, text: string): Record<string, unknown> {
  return { ...envelope(sender), type: 'message', text };
}

/** A thumbs up/down submission (invoke `message/submitAction`). */
export function feedbackFrom(
  sender: Sender,
  options: { reaction: 'like' | 'dislike'; comment: string; replyToId?: string },
): Record<string, unknown> {
  return {
    ...envelope(sender),
    type: 'invoke',
    name: 'message/submitAction',
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    value: {
      actionName: 'feedback',
      actionValue: {
        reaction: options.reaction,
        feedback: JSON.stringify({ feedbackText: options.comment }),
      },
    },
  };
}

/** A press of an Adaptive Card Action.Execute button (invoke `adaptiveCard/action`). */
export function cardActionFrom(
  sender: Sender,
  action: { verb: string; data: Record<string, unknown>; replyToId?: string },
): Record<string, unknown> {
  return {
    ...envelope(sender),
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(action.replyToId ? { replyToId: action.replyToId } : {}),
    value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'manual' },
  };
}
