import { TurnState } from '@microsoft/teams-ai';
import type { Activity, Storage, TurnContext } from 'botbuilder';
import { traceStateLoad } from '../observability';
import { tenantOfActivity } from './tenantGate';

/**
 * The botbuilder Storage keys of an activity's conversation state (the history and pending confirmations)
 * and user state: `<channel>/<bot id>/tenants/<tenant>/conversations/<conversation id>` and
 * `<channel>/<bot id>/tenants/<tenant>/users/<Teams user id>`. teams-ai's own keys leave the tenant out, so
 * an activity from another tenant naming the same conversation id would load that conversation's history;
 * with the tenant in the key it cannot.
 */
export function stateKeysOf(activity: Partial<Activity>): { conversation: string; user: string } {
  const tenant = tenantOfActivity(activity).tenantId ?? 'no-tenant';
  const prefix = `${activity.channelId ?? ''}/${activity.recipient?.id ?? ''}/tenants/${tenant}`;
  return {
    conversation: `${prefix}/conversations/${activity.conversation?.id ?? ''}`,
    user: `${prefix}/users/${activity.from?.id ?? ''}`,
  };
}

/**
 * teams-ai's TurnState with tenant-scoped storage keys (see {@link stateKeysOf}); the temp scope is unchanged.
 * Its load is traced as the answer turn's `bot.state.load` span.
 */
export class TenantScopedTurnState extends TurnState {
  override load(context: TurnContext, storage?: Storage): Promise<boolean> {
    return traceStateLoad(context, () => super.load(context, storage));
  }

  protected override async onComputeStorageKeys(context: TurnContext): Promise<Record<string, string>> {
    // The base checks that channel, bot, conversation and user ids are present and throws when not.
    const keys = await super.onComputeStorageKeys(context);
    const scoped = stateKeysOf(context.activity);
    return { ...keys, conversation: scoped.conversation, user: scoped.user };
  }
}
