import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import OpenAI, { AzureOpenAI } from 'openai';
import type { EmbeddingsConfig, ModelConfig } from '../../config';
import type { Logger } from '../../shared/logging';
import type { Clock } from '../../shared/time';
import type { Embedder } from './embedder';
import { OpenAiEmbedder } from './openAiEmbedder';

const AZURE_COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Where the built-in offline model listens, when it is the configured provider. */
export interface OfflineEmbeddingsEndpoint {
  baseUrl: string;
}

/**
 * The embedder for the configured embeddings model, reusing the chat provider's endpoint and credentials:
 * OpenAI (or a compatible server at OPENAI_BASE_URL), Azure OpenAI (the model is a deployment), or the
 * built-in offline model's `/v1/embeddings`, which is a lexical-hashing stand-in, not a semantic model.
 */
export function createEmbedder(
  model: ModelConfig,
  embeddings: EmbeddingsConfig,
  options: { logger: Logger; clock?: Clock; offline?: OfflineEmbeddingsEndpoint; fetch?: typeof fetch },
): Embedder {
  // Retries are counted by OpenAiEmbedder on the injectable clock, not by the client.
  const common = { maxRetries: 0, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const embedder = (client: OpenAI, description: string): Embedder =>
    new OpenAiEmbedder(client, {
      model: embeddings.model,
      description,
      logger: options.logger,
      clock: options.clock,
    });
  switch (model.provider) {
    case 'openai':
      return embedder(
        new OpenAI({ ...common, apiKey: model.apiKey, baseURL: model.baseUrl }),
        model.baseUrl
          ? `OpenAI-compatible embeddings at ${model.baseUrl}, model ${embeddings.model}`
          : `OpenAI embeddings, model ${embeddings.model}`,
      );
    case 'azure-openai':
      return embedder(
        new AzureOpenAI({
          ...common,
          endpoint: model.endpoint,
          apiVersion: model.apiVersion,
          deployment: embeddings.model,
          ...(model.auth.kind === 'apiKey'
            ? { apiKey: model.auth.apiKey }
            : {
                azureADTokenProvider: getBearerTokenProvider(
                  new DefaultAzureCredential({ managedIdentityClientId: model.auth.clientId }),
                  AZURE_COGNITIVE_SERVICES_SCOPE,
                ),
              }),
        }),
        `Azure OpenAI embeddings at ${model.endpoint}, deployment ${embeddings.model}`,
      );
    case 'offline':
      if (!options.offline)
        throw new Error('the offline model must be started before its embedder is created');
      return embedder(
        new OpenAI({ ...common, apiKey: 'offline', baseURL: options.offline.baseUrl }),
        'the offline model’s lexical-hashing stand-in (hashed words and character trigrams, not a semantic model)',
      );
  }
}
