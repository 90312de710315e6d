export { createBotApplication, type BotApplicationOptions } from './createApplication';
export { feedbackComment } from './feedbackHandler';
export { streamModeOf } from './answerTurn';
export { conversationScopeOf, TurnSession, type ConversationScope, type TurnSource } from './turnSession';
