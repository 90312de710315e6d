export { CachingTokenizer, type CachingTokenizerOptions } from './cachingTokenizer';
export { createChatModel, type OfflineEndpoint } from './createChatModel';
export { abortableFetch, currentTurnScope, runInTurnScope, type TurnScope } from './turnScope';
export { TurnUsage, type TokenUsage } from './tokenUsage';
export { meterTokenUsage } from './usageMetering';
export {
  asModelFailure,
  isRetryableModelStatus,
  openAiErrorStatus,
  openAiRetryAfterHeaders,
  openAiRetryAfterMs,
} from './openAiErrors';
export { ModelCallError, type ModelCallFailure } from './modelCallError';
export { guardModelErrors, takeModelFailure } from './modelErrorGuard';
export { shapeModelRequests, shapeForFamily, type RequestShapingOptions } from './requestShaping';
export {
  DEFAULT_REASONING_EFFORT,
  MODEL_FAMILY_SETTINGS,
  modelFamilyOf,
  REASONING_EFFORTS,
  REASONING_TOKEN_ALLOWANCE,
  resolveModelFamily,
  type ModelFamily,
  type ModelFamilySetting,
  type ReasoningEffort,
} from './modelFamily';
export {
  checkedChunks,
  JsonOnlyEventFilter,
  jsonOnlyEventStreams,
  MALFORMED_EVENT_REPLACEMENT,
} from './jsonOnlyEventStreams';
