import { TeamsAdapter } from '@microsoft/teams-ai';
import { ActivityTypes, ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import type { BotIdentity } from '../config';
import type { Logger } from '../logging';
import { streamOrderWatchMiddleware } from '../streaming';

/** The botbuilder configuration keys that ConfigurationBotFrameworkAuthentication reads. */
export function botAuthenticationSettings(identity: BotIdentity): Record<string, string> {
  switch (identity.kind) {
    case 'anonymous':
      return {};
    case 'MultiTenant':
      return {
        MicrosoftAppId: identity.appId,
        MicrosoftAppPassword: identity.appPassword,
        MicrosoftAppType: 'MultiTenant',
      };
    case 'SingleTenant':
      return {
        MicrosoftAppId: identity.appId,
        MicrosoftAppPassword: identity.appPassword,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: identity.tenantId,
      };
    case 'UserAssignedMSI':
      return {
        MicrosoftAppId: identity.appId,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: identity.tenantId,
      };
  }
}

/**
 * The teams-ai TeamsAdapter (a CloudAdapter with ConfigurationBotFrameworkAuthentication): validates the
 * Bot Connector's token on every inbound request when a bot id is set. A turn that fails is logged and the
 * user gets a short apology; the error never reaches the HTTP layer as a crash.
 */
export function createAdapter(identity: BotIdentity, logger: Logger): TeamsAdapter {
  const settings = botAuthenticationSettings(identity);
  const adapter = new TeamsAdapter(settings, new ConfigurationServiceClientCredentialFactory(settings));
  adapter.use(
    streamOrderWatchMiddleware((rejection) =>
      logger.warn(
        rejection,
        'Teams dropped a streaming update that arrived out of order (202 SequenceOrderPreConditionFailed)',
      ),
    ),
  );
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'a turn failed');
    if (context.activity.type !== String(ActivityTypes.Message)) return;
    try {
      await context.sendActivity('Sorry, something went wrong while answering. Please try again.');
    } catch (sendError) {
      logger.warn({ err: sendError }, 'the apology for a failed turn could not be sent either');
    }
  };
  return adapter;
}
