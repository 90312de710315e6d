export { createChatModel, type OfflineEndpoint } from './createChatModel';
export { abortableFetch, runWithTurnSignal } from './turnAbortSignal';
