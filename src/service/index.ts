export { startBotService, type BotService, type BotServiceOptions } from './startBotService';
