export type {
  AppConfig,
  AzureOpenAIModelConfig,
  BotAuthenticationEndpoints,
  BotIdentity,
  EmbeddingsConfig,
  LogLevel,
  RateLimitSetting,
  ModelConfig,
  OfflineModelConfig,
  OpenAIModelConfig,
  OutboundConfig,
  PostgresConfig,
  TelemetryConfig,
} from './appConfig';
export { ENVIRONMENT_VARIABLES } from './envSchema';
export { loadConfig } from './loadConfig';
export { DEFAULT_OPENAI_MODEL, describeModel, modelNameOf } from './modelSettings';
export { secretValues } from './secretValues';
