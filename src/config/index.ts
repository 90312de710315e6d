export type {
  AppConfig,
  AzureOpenAIModelConfig,
  BotIdentity,
  LogLevel,
  ModelConfig,
  OfflineModelConfig,
  OpenAIModelConfig,
} from './appConfig';
export { describeModel, loadConfig } from './loadConfig';
