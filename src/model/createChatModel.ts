import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import { OpenAIModel } from '@microsoft/teams-ai';
import type { ModelConfig } from '../config';
import { abortableFetch } from './turnScope';
import { meterTokenUsage } from './usageMetering';

/** Where the built-in offline model listens, when it is the configured provider. */
export interface OfflineEndpoint {
  baseUrl: string;
}

const AZURE_COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/**
 * The teams-ai `OpenAIModel` for the configured provider, always with `stream: true`. The offline model is an
 * OpenAI-compatible server on loopback, so all three providers run the same client code path. Every streamed
 * call reports its token usage to the current turn (see `meterTokenUsage`).
 */
export function createChatModel(config: ModelConfig, offline?: OfflineEndpoint): OpenAIModel {
  return meterTokenUsage(createOpenAIModel(config, offline));
}

function createOpenAIModel(config: ModelConfig, offline?: OfflineEndpoint): OpenAIModel {
  // Retries are the bot's (GuardedModel: before the first token, Retry-After honoured), not the client's.
  // teams-ai 1.7.4 reads OpenAIModelOptions.maxRetries but never passes it on, so it goes in clientOptions.
  const common = { stream: true, clientOptions: { fetch: abortableFetch, maxRetries: 0 } } as const;
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
