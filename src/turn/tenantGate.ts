import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../shared/logging';
import { isTeamsChannel } from './teamsChannel';

/** Why an activity was refused, or that it may go on. */
export type TenantDecision =
  { allowed: true } | { allowed: false; reason: string; tenantId: string | undefined };

/**
 * The tenant an activity comes from. Teams puts it in `channelData.tenant.id` and in
 * `conversation.tenantId`; when both are present they must agree, otherwise the activity is not trusted.
 */
export function tenantOfActivity(activity: Partial<Activity>): {
  tenantId: string | undefined;
  consistent: boolean;
} {
  const fromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = activity.conversation?.tenantId;
  const channelTenant =
    typeof fromChannel === 'string' && fromChannel.trim() !== '' ? fromChannel : undefined;
  const conversationTenant =
    typeof fromConversation === 'string' && fromConversation.trim() !== '' ? fromConversation : undefined;
  const consistent =
    !channelTenant || !conversationTenant || channelTenant.toLowerCase() === conversationTenant.toLowerCase();
  return { tenantId: conversationTenant ?? channelTenant, consistent };
}

/**
 * Decides whether the bot handles an activity at all: its tenant ids must agree and, when `allowed` is set
 * (ALLOWED_TENANTS), the activity must come from a Teams channel (`msteams`, `msteams:<sub>` such as Copilot
 * Chat) and its tenant be one of them. The tenant fields are Teams' own: on any other channel (`webchat`,
 * `directline`, `emulator`, ...) the client writes them itself, so they prove nothing there. A refused activity
 * gets no answer and causes no model call.
 */
export function decideTenant(
  activity: Partial<Activity>,
  allowed: readonly string[] | undefined,
): TenantDecision {
  const { tenantId, consistent } = tenantOfActivity(activity);
  if (!consistent) {
    return { allowed: false, reason: 'the activity names two different tenants', tenantId };
  }
  if (!allowed) return { allowed: true };
  if (!isTeamsChannel(activity.channelId)) {
    return {
      allowed: false,
      reason: 'ALLOWED_TENANTS trusts tenant fields from Teams channels only',
      tenantId,
    };
  }
  if (!tenantId) return { allowed: false, reason: 'the activity names no tenant', tenantId };
  return allowed.includes(tenantId.toLowerCase())
    ? { allowed: true }
    : { allowed: false, reason: 'the tenant is not in ALLOWED_TENANTS', tenantId };
}

/**
 * Runs before the Teams AI application sees an activity (before its state is even loaded): refused activities
 * are logged at info level and, for invokes (feedback, card buttons), answered 403 so the client gets a
 * definite refusal. Returns whether the turn may go on.
 */
export async function admitTenant(
  context: TurnContext,
  allowed: readonly string[] | undefined,
  logger: Logger,
): Promise<boolean> {
  const decision = decideTenant(context.activity, allowed);
  if (decision.allowed) return true;
  logger.info(
    {
      tenantId: decision.tenantId,
      channelId: context.activity.channelId,
      activityType: context.activity.type,
      activityName: context.activity.name,
      conversationId: context.activity.conversation?.id,
    },
    `activity refused: ${decision.reason}`,
  );
  if (context.activity.type === 'invoke') {
    await context.sendActivity({ type: 'invokeResponse', value: { status: 403 } });
  }
  return false;
}
