export { createChatModel, type OfflineEndpoint } from './createChatModel';
export { abortableFetch, currentTurnScope, runInTurnScope, type TurnScope } from './turnScope';
