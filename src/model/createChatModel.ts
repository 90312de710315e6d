import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import { OpenAIModel } from '@microsoft/teams-ai';
import type { ModelConfig } from '../config';
import { abortableFetch } from './turnAbortSignal';

/** Where the built-in offline model listens, when it is the configured provider. */
export interface OfflineEndpoint {
  baseUrl: string;
}

const AZURE_COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/**
 * The teams-ai `OpenAIModel` for the configured provider, always with `stream: true`. The offline model is an
 * OpenAI-compatible server on loopback, so all three providers run the same client code path.
 */
export function createChatModel(config: ModelConfig, offline?: OfflineEndpoint): OpenAIModel {
  // The openai client retries 429/5xx itself before the first byte; keep it bounded.
  const common = { stream: true, maxRetries: 2, clientOptions: { fetch: abortableFetch } } as const;
  switch (config.provider) {
    case 'openai':
      return new OpenAIModel({
        ...common,
        apiKey: config.apiKey,
        defaultModel: config.model,
        endpoint: config.baseUrl,
        useSystemMessages: true,
      });
    case 'azure-openai':
      return new OpenAIModel({
        ...common,
        azureEndpoint: config.endpoint,
        azureDefaultDeployment: config.deployment,
        azureApiVersion: config.apiVersion,
        useSystemMessages: true,
        ...(config.auth.kind === 'apiKey'
          ? { azureApiKey: config.auth.apiKey }
          : {
              azureADTokenProvider: getBearerTokenProvider(
                new DefaultAzureCredential({ managedIdentityClientId: config.auth.clientId }),
                AZURE_COGNITIVE_SERVICES_SCOPE,
              ),
            }),
      });
    case 'offline':
      if (!offline) throw new Error('the offline model must be started before its client is created');
      return new OpenAIModel({
        ...common,
        apiKey: 'offline',
        defaultModel: 'offline',
        endpoint: offline.baseUrl,
        useSystemMessages: true,
      });
  }
}
