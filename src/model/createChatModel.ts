import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import { OpenAIModel } from '@microsoft/teams-ai';
import type { ModelConfig } from '../config';
import type { Logger } from '../shared/logging';
import { jsonOnlyEventStreams } from './jsonOnlyEventStreams';
import { guardModelErrors } from './modelErrorGuard';
import { shapeModelRequests } from './requestShaping';
import { abortableFetch } from './turnScope';
import { meterTokenUsage } from './usageMetering';

/** Where the built-in offline model listens, when it is the configured provider. */
export interface OfflineEndpoint {
  baseUrl: string;
}

const AZURE_COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/**
 * The teams-ai `OpenAIModel` for the configured provider, always with `stream: true`. The offline model is an
 * OpenAI-compatible server on loopback, so all three providers run the same client code path. Its openai
 * client's `create` is wrapped three times, innermost first:
 * - `shapeModelRequests`: the request fits the model family (MODEL_FAMILY, REASONING_EFFORT), and a parameter
 *   the model refuses is dropped, once, and remembered;
 * - `meterTokenUsage`: every streamed call reports its token usage to the current turn;
 * - `guardModelErrors`: every failure is logged through `logger` and reaches teams-ai (which prints it) and
 *   GuardedModel (which decides on a retry) as a ModelCallError without upstream text.
 */
export function createChatModel(config: ModelConfig, logger: Logger, offline?: OfflineEndpoint): OpenAIModel {
  // The offline model is a chat model; MODEL_FAMILY and REASONING_EFFORT are refused with it at startup.
  const shaping =
    config.provider === 'offline'
      ? { family: 'chat' as const, reasoningEffort: 'low' as const }
      : { family: config.family, reasoningEffort: config.reasoningEffort };
  const model = shapeModelRequests(createOpenAIModel(config, offline), { ...shaping, logger });
  return guardModelErrors(meterTokenUsage(model), logger);
}

function createOpenAIModel(config: ModelConfig, offline?: OfflineEndpoint): OpenAIModel {
  // Retries are the bot's (GuardedModel: before the first token, Retry-After honoured), not the client's.
  // teams-ai 1.7.4 reads OpenAIModelOptions.maxRetries but never passes it on, so it goes in clientOptions.
  // The client's fetch joins the turn's Stop signal and keeps stream events the client would print raw away.
  const fetch = jsonOnlyEventStreams(abortableFetch);
  const common = { stream: true, clientOptions: { fetch, maxRetries: 0 } } as const;
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
