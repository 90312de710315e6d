export type {
  AppConfig,
  AzureOpenAIModelConfig,
  BotIdentity,
  LogLevel,
  ModelConfig,
  OfflineModelConfig,
  OpenAIModelConfig,
  PostgresConfig,
} from './appConfig';
export { describeModel, ENVIRONMENT_VARIABLES, loadConfig } from './loadConfig';
