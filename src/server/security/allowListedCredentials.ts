import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';
import { ConnectorError } from '../../shared/errors';
import type { ServiceUrlAllowList, ServiceUrlRefusal } from './serviceUrlAllowList';

/** The request botbuilder asks credentials to sign (a WebResource of @azure/core-http-compat). */
type SignedRequest = Parameters<ServiceClientCredentials['signRequest']>[0];

/** Told about every request that was stopped, for the log. */
export type RefusedRequestListener = (url: string, reason: ServiceUrlRefusal) => void;

/**
 * Wraps botbuilder's credentials factory so that every credentials object it hands out refuses to sign a
 * request to a URL the allow-list does not allow. botbuilder's connector clients (sends, updates, deletes,
 * conversation members) and user-token clients call `signRequest` for every request right before it is
 * sent, with its final URL, in anonymous mode too: refusing there means the bot's bearer token, and the
 * request itself, never leave for a host that is not allowed, whatever serviceUrl an activity named.
 */
export class AllowListedCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly inner: ServiceClientCredentialsFactory,
    private readonly allowList: ServiceUrlAllowList,
    private readonly onRefused: RefusedRequestListener = () => undefined,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
    validateAuthority: boolean,
  ): Promise<ServiceClientCredentials> {
    const credentials = await this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    return guardCredentials(credentials, this.allowList, this.onRefused);
  }
}

/**
 * The same credentials object, except that `signRequest` throws a ConnectorError (code
 * `ServiceUrlNotAllowed`) before it fetches or attaches a token when the request goes to a URL that is not
 * allowed. Everything else (app id, scope, token cache) is the original's.
 */
export function guardCredentials(
  credentials: ServiceClientCredentials,
  allowList: ServiceUrlAllowList,
  onRefused: RefusedRequestListener,
): ServiceClientCredentials {
  const signRequest = async (request: SignedRequest): Promise<SignedRequest> => {
    const reason = allowList.refusal(request.url);
    if (reason !== undefined) {
      onRefused(request.url, reason);
      throw new ConnectorError(
        `refused to send to ${describeTarget(request.url)}: ${reason} (service URL allow-list)`,
        undefined,
        'ServiceUrlNotAllowed',
        false,
      );
    }
    return credentials.signRequest(request);
  };
  return new Proxy(credentials, {
    get(target, property, receiver) {
      if (property === 'signRequest') return signRequest;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The scheme and host of a URL (never its path or query, which may carry ids), for messages. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an invalid URL';
  }
}
