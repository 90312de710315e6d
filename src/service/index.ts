export { assembleAssistant, type Assistant, type AssistantOptions } from './assembleAssistant';
export { startBotService, type BotService, type BotServiceOptions } from './startBotService';
