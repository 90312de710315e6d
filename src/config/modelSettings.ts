import { ConfigError } from '../shared/errors';
import { DEFAULT_REASONING_EFFORT, resolveModelFamily } from '../model/modelFamily';
import type { ModelConfig, ModelRequestSettings } from './appConfig';
import { requireSetting, type Env } from './envSchema';

/**
 * The OpenAI model when OPENAI_MODEL is unset: a small gpt-5 family reasoning model (fast, cheap, good at tool
 * calls, on OpenAI and on Azure OpenAI), run at REASONING_EFFORT=low (see docs/configuration.md, "Model families").
 */
export const DEFAULT_OPENAI_MODEL = 'gpt-5-mini';

/**
 * Which model answers and how it is called: Azure OpenAI, OpenAI (or a compatible server) or the built-in
 * offline model, from the OPENAI_*, AZURE_OPENAI_*, MODEL_FAMILY and REASONING_EFFORT settings.
 * @throws ConfigError when the settings contradict each other or one is missing.
 */
export function modelConfig(env: Env): ModelConfig {
  const openAiSet = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  const azureSet = Boolean(
    env.AZURE_OPENAI_ENDPOINT ||
    env.AZURE_OPENAI_API_KEY ||
    env.AZURE_OPENAI_DEPLOYMENT_NAME ||
    env.AZURE_OPENAI_USE_MANAGED_IDENTITY === 'true',
  );
  if (openAiSet && azureSet) {
    throw new ConfigError(
      'AZURE_OPENAI_ENDPOINT',
      'set either the OPENAI_* or the AZURE_OPENAI_* settings, not both',
    );
  }
  if (azureSet) {
    const endpoint = requireSetting(env, 'AZURE_OPENAI_ENDPOINT', 'for Azure OpenAI');
    const deployment = requireSetting(env, 'AZURE_OPENAI_DEPLOYMENT_NAME', 'for Azure OpenAI');
    const useIdentity = env.AZURE_OPENAI_USE_MANAGED_IDENTITY === 'true';
    if (useIdentity && env.AZURE_OPENAI_API_KEY) {
      throw new ConfigError(
        'AZURE_OPENAI_API_KEY',
        'must be empty when AZURE_OPENAI_USE_MANAGED_IDENTITY=true',
      );
    }
    if (!useIdentity && !env.AZURE_OPENAI_API_KEY) {
      throw new ConfigError(
        'AZURE_OPENAI_API_KEY',
        'is required for Azure OpenAI (or set AZURE_OPENAI_USE_MANAGED_IDENTITY=true)',
      );
    }
    return {
      provider: 'azure-openai',
      endpoint,
      deployment,
      ...requestSettings(env, deployment),
      apiVersion: env.AZURE_OPENAI_API_VERSION,
      auth: useIdentity
        ? { kind: 'managedIdentity', clientId: env.AZURE_CLIENT_ID }
        : { kind: 'apiKey', apiKey: env.AZURE_OPENAI_API_KEY ?? '' },
    };
  }
  if (openAiSet) {
    // Local OpenAI-compatible servers (Ollama, vLLM, LM Studio) accept any key.
    const model = env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL;
    return {
      provider: 'openai',
      apiKey: env.OPENAI_API_KEY ?? 'not-needed',
      model,
      baseUrl: env.OPENAI_BASE_URL,
      ...requestSettings(env, model),
    };
  }
  if (env.OPENAI_MODEL) {
    throw new ConfigError(
      'OPENAI_API_KEY',
      'is required when OPENAI_MODEL is set (or set OPENAI_BASE_URL for a local server)',
    );
  }
  if (env.MODEL_FAMILY === 'reasoning' || env.REASONING_EFFORT) {
    const setting = env.REASONING_EFFORT ? 'REASONING_EFFORT' : 'MODEL_FAMILY';
    throw new ConfigError(
      setting,
      'applies to OpenAI and Azure OpenAI models only; the built-in offline model (no OPENAI_* or AZURE_OPENAI_* set) is a chat model',
    );
  }
  return {
    provider: 'offline',
    timeToFirstTokenMs: env.OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS,
    tokensPerSecond: env.OFFLINE_MODEL_TOKENS_PER_SECOND,
  };
}

/**
 * MODEL_FAMILY and REASONING_EFFORT for a model (or Azure deployment) name. A reasoning effort for a model
 * that is not a reasoning model would be refused by the API on every call, so it stops startup instead.
 */
function requestSettings(env: Env, modelName: string): ModelRequestSettings {
  const family = resolveModelFamily(env.MODEL_FAMILY, modelName);
  if (env.REASONING_EFFORT && family === 'chat') {
    throw new ConfigError(
      'REASONING_EFFORT',
      env.MODEL_FAMILY === 'chat'
        ? 'must be empty when MODEL_FAMILY=chat (chat models take no reasoning effort)'
        : `must be empty for ${modelName}, which is not recognised as a reasoning model (set MODEL_FAMILY=reasoning if it is one, e.g. for an Azure deployment whose name does not say)`,
    );
  }
  return { family: env.MODEL_FAMILY, reasoningEffort: env.REASONING_EFFORT ?? DEFAULT_REASONING_EFFORT };
}

/** One line for the startup log saying which model answers, without secrets. */
export function describeModel(model: ModelConfig): string {
  switch (model.provider) {
    case 'openai':
      return (
        (model.baseUrl
          ? `OpenAI-compatible server at ${model.baseUrl}, model ${model.model}`
          : `OpenAI, model ${model.model}`) + familyNote(model, model.model)
      );
    case 'azure-openai':
      return `Azure OpenAI at ${model.endpoint}, deployment ${model.deployment} (${
        model.auth.kind === 'apiKey' ? 'API key' : 'managed identity'
      })${familyNote(model, model.deployment)}`;
    case 'offline':
      return 'the built-in offline model (no OPENAI_API_KEY or AZURE_OPENAI_* set)';
  }
}

/** `, reasoning model, effort low` or `, chat model`, for the startup line. */
function familyNote(settings: ModelRequestSettings, modelName: string): string {
  const family = resolveModelFamily(settings.family, modelName);
  return family === 'reasoning' ? `, reasoning model, effort ${settings.reasoningEffort}` : ', chat model';
}

/** The model's name for telemetry: the OpenAI model, the Azure OpenAI deployment, or `offline`. */
export function modelNameOf(model: ModelConfig): string {
  switch (model.provider) {
    case 'openai':
      return model.model;
    case 'azure-openai':
      return model.deployment;
    case 'offline':
      return 'offline';
  }
}
