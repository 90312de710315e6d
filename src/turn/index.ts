export { createBotApplication, type BotApplicationOptions } from './createApplication';
export { feedbackComment } from './feedbackHandler';
export { streamModeOf } from './streamMode';
export { isCopilot, isTeamsChannel, parseChannelId } from './teamsChannel';
export { CHAT_HISTORY_VARIABLE, recordStoppedAnswer } from './stoppedAnswerHistory';
export type { AnswerStream, StreamImplementation, TurnStream } from './turnStreams';
export { conversationScopeOf, requesterOf, type ConversationScope, type Requester } from './requester';
export { currentTurn, runTurn, Turn, type TurnOptions, type TurnSource } from './turn';
export { stateKeysOf } from './stateKeys';
export { assembleAssistant, type Assistant, type AssistantOptions } from './assembleAssistant';

// The answer and confirmation cards.
export * from './cards';
