import { StatusCodes, type Activity } from 'botbuilder';
import {
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { withoutConsoleErrors } from './quietTokenValidation';

/**
 * botbuilder 4.23.3 lets some token failures escape as plain errors (jsonwebtoken's "invalid signature",
 * "jwt malformed", a wrong algorithm), which CloudAdapter answers with 500 and the error text. This
 * decorator of the real authentication turns every failure of token validation into an AuthenticationError,
 * so the request is refused with 401 like any other bad token. Validation itself is botbuilder's, unchanged,
 * except that what it prints to the console while validating is dropped (see {@link withoutConsoleErrors}):
 * the adapter logs each refusal in one line.
 */
export class UnauthorizedOnTokenFailure extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await withoutConsoleErrors(() => this.inner.authenticateRequest(activity, authHeader));
    } catch (error) {
      throw asAuthenticationError(error);
    }
  }

  async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await withoutConsoleErrors(() =>
        this.inner.authenticateStreamingRequest(authHeader, channelIdHeader),
      );
    } catch (error) {
      throw asAuthenticationError(error);
    }
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    try {
      return await withoutConsoleErrors(() => this.inner.authenticateChannelRequest(authHeader));
    } catch (error) {
      throw asAuthenticationError(error);
    }
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

/** The error itself when it is an AuthenticationError already, else a 401 AuthenticationError wrapping it. */
export function asAuthenticationError(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AuthenticationError(
    `Unauthorized: the token could not be validated (${reason})`,
    StatusCodes.UNAUTHORIZED,
  );
}
