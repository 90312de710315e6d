import { TeamsAdapter } from '@microsoft/teams-ai';
import {
  ActivityTypes,
  CallerIdConstants,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  type AuthenticateRequestResult,
  type BotFrameworkAuthentication,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { BotAuthenticationEndpoints, BotIdentity } from '../config';
import { newErrorId } from '../shared/errors';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import {
  AllowListedCredentialsFactory,
  tokenRejectionReason,
  UNAUTHORIZED_RESPONSE,
  UnauthorizedOnTokenFailure,
  type ServiceUrlAllowList,
} from './security';
import { streamOrderWatchMiddleware } from '../streaming';

/** The security settings of the adapter. */
export interface AdapterSecurity {
  /** Where the bot may send; every outbound connector request is checked against it. */
  allowList: ServiceUrlAllowList;
  /** Overrides of botbuilder's authentication endpoints (tests); left out, the public-cloud defaults. */
  endpoints?: BotAuthenticationEndpoints;
  /**
   * Where the bot's outbound credentials come from; default botbuilder's
   * ConfigurationServiceClientCredentialFactory for the identity (MSAL against Entra ID). Tests substitute
   * one because MSAL only talks to https authorities it can discover through login.microsoftonline.com.
   * Whatever it is, the allow-list guard wraps it.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

const NO_ENDPOINT_OVERRIDES: BotAuthenticationEndpoints = {
  openIdMetadataUrl: undefined,
  tokenIssuer: undefined,
  loginUrl: undefined,
};

/** The botbuilder configuration keys that ConfigurationBotFrameworkAuthentication reads. */
export function botAuthenticationSettings(
  identity: BotIdentity,
  endpoints: BotAuthenticationEndpoints = NO_ENDPOINT_OVERRIDES,
): Record<string, string> {
  return { ...identitySettings(identity), ...endpointSettings(endpoints) };
}

function identitySettings(identity: BotIdentity): Record<string, string> {
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
 * With no override, nothing: botbuilder then uses its built-in public-cloud endpoints. Once any endpoint is
 * set, botbuilder takes every endpoint from the configuration (it has no per-key fallback), so the ones
 * not overridden are filled with those same public-cloud values.
 */
function endpointSettings(endpoints: BotAuthenticationEndpoints): Record<string, string> {
  if (!endpoints.openIdMetadataUrl && !endpoints.tokenIssuer && !endpoints.loginUrl) return {};
  return {
    ToChannelFromBotLoginUrl: endpoints.loginUrl ?? AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: endpoints.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromChannelOpenIdMetadataUrl:
      endpoints.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** The turn logic botbuilder runs for an authenticated activity. */
type TurnLogic = (context: TurnContext) => Promise<void>;

/**
 * teams-ai's TeamsAdapter with guards around botbuilder's own authentication: every token failure is a 401
 * (see {@link UnauthorizedOnTokenFailure}) whose body does not say why and which is logged in one warning
 * line (botbuilder would print the error with its stack to stderr and answer its message), and the
 * credentials refuse to sign a request to a host that is not on the service URL allow-list.
 */
class GuardedTeamsAdapter extends TeamsAdapter {
  constructor(
    settings: Record<string, string>,
    security: AdapterSecurity,
    private readonly logger: Logger,
  ) {
    super(
      settings,
      new AllowListedCredentialsFactory(
        security.credentialsFactory ?? new ConfigurationServiceClientCredentialFactory(settings),
        security.allowList,
        (url, reason) =>
          logger.error(
            { host: hostOf(url), reason },
            'an outbound request to a host that is not on the service URL allow-list was refused',
          ),
      ),
    );
    // TeamsAdapter builds its ConfigurationBotFrameworkAuthentication inside its constructor and offers no
    // way to pass one in; CloudAdapterBase reads this field for every request, so it is wrapped here.
    const base = this as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
    base.botFrameworkAuthentication = new UnauthorizedOnTokenFailure(base.botFrameworkAuthentication);
  }

  protected override processActivity(
    authHeader: string,
    activity: Activity,
    logic: TurnLogic,
  ): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    authenticateRequestResult: AuthenticateRequestResult,
    activity: Activity,
    logic: TurnLogic,
  ): Promise<InvokeResponse | undefined>;
  /**
   * Authenticates the inbound request here rather than inside botbuilder, whose CloudAdapter.process writes
   * every rejected token to stderr with `console.error` (a multi-line stack trace, past the logger) and
   * answers the error's message. A rejected token is logged once, as a warning with a short reason, and
   * answered 401 `{"error":"Unauthorized"}`; an accepted one runs the turn exactly as botbuilder would.
   */
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: TurnLogic,
  ): Promise<InvokeResponse | undefined> {
    if (typeof auth !== 'string') return super.processActivity(auth, activity, logic);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
    } catch (error) {
      this.logger.warn(
        {
          reason: tokenRejectionReason(error),
          tokenPresented: auth.trim() !== '',
          activityType: activity.type,
          channelId: activity.channelId,
        },
        'refused an inbound request whose token was rejected (401)',
      );
      return UNAUTHORIZED_RESPONSE;
    }
    return super.processActivity(authenticated, activity, logic);
  }
}

/**
 * The teams-ai TeamsAdapter (a CloudAdapter with ConfigurationBotFrameworkAuthentication): validates the
 * Bot Connector's token on every inbound request when a bot id is set, and sends only to allowed hosts.
 * A turn that fails is logged with a new error id and the user gets a short apology carrying that id; the
 * error never reaches the HTTP layer as a crash, and its details never reach the user.
 */
export function createAdapter(
  identity: BotIdentity,
  logger: Logger,
  security: AdapterSecurity,
): TeamsAdapter {
  const adapter = new GuardedTeamsAdapter(
    botAuthenticationSettings(identity, security.endpoints),
    security,
    logger,
  );
  adapter.use(
    streamOrderWatchMiddleware((rejection) =>
      logger.warn(
        rejection,
        'Teams dropped a streaming update that arrived out of order (202 SequenceOrderPreConditionFailed)',
      ),
    ),
  );
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const errorId = newErrorId();
    logger.error({ err: error, errorId, activityType: context.activity.type }, 'a turn failed');
    if (context.activity.type !== String(ActivityTypes.Message)) return;
    const locale = context.activity.locale;
    try {
      await context.sendActivity(
        `${translate(locale, 'error.generic')} ${translate(locale, 'error.reference', { id: errorId })}`,
      );
    } catch (sendError) {
      logger.warn({ err: sendError, errorId }, 'the apology for a failed turn could not be sent either');
    }
  };
  return adapter;
}

/** The host of a URL for the log (never its path or query). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
