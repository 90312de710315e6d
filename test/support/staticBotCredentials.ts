import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';

/**
 * The bot's outbound credentials for tests: signs every connector request with a fixed bearer token for the
 * configured app id. It stands in for MSAL only (which cannot reach a token endpoint offline); everything
 * around it (the allow-list guard, the connector client, the HTTP request) is the real code.
 */
export class StaticBotCredentials extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    readonly token: string,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return Promise.resolve(appId === this.appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(false);
  }

  createCredentials(appId: string): Promise<ServiceClientCredentials> {
    if (appId !== this.appId) return Promise.reject(new Error('Invalid appId.'));
    return Promise.resolve({
      signRequest: (request) => {
        request.headers.set('authorization', `Bearer ${this.token}`);
        return Promise.resolve(request);
      },
    });
  }
}
