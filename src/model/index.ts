export { createChatModel, type OfflineEndpoint } from './createChatModel';
export { abortableFetch, currentTurnScope, runInTurnScope, type TurnScope } from './turnScope';
export { TurnUsage, type TokenUsage } from './tokenUsage';
export { meterTokenUsage } from './usageMetering';
export { openAiErrorStatus, openAiRetryAfterMs } from './openAiErrors';
