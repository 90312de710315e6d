export type {
  AppConfig,
  AzureOpenAIModelConfig,
  BotAuthenticationEndpoints,
  BotIdentity,
  EmbeddingsConfig,
  LogLevel,
  ModelConfig,
  OfflineModelConfig,
  OpenAIModelConfig,
  OutboundConfig,
  PostgresConfig,
} from './appConfig';
export { describeModel, ENVIRONMENT_VARIABLES, loadConfig } from './loadConfig';
export { secretValues } from './secretValues';
