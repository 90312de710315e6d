// The Teams streaming protocol (docs/teams-platform-facts.md §1-3): the streamers' shared parts (outcome,
// final text, activity builders, the LLMClient adapter) and the Teams streamer itself.
export {
  citationsForText,
  citedPositions,
  normalizeCitationMarkers,
  type CitationSource,
  type ClientCitation,
} from './citations';
export { installEntitySerializationFix } from './entitySerializationFix';
export { finalAnswerText, type FailureWording } from './finalText';
export { LlmClientStream, type LlmStreamTarget } from './llmClientStream';
export {
  streamFinalActivity,
  surfaceFinalActivity,
  type LastMessageParts,
  type MessageParts,
} from './streamActivities';
export { STREAM_LIMITS } from './streamLimits';
export type { StreamJournal, StreamProgress } from './streamJournal';
export type {
  CancelledOutcome,
  CompletedOutcome,
  FailedOutcome,
  RolloverReason,
  StreamFailureCause,
  StreamOutcome,
} from './streamOutcome';
export { streamOrderWatchMiddleware, type StreamOrderRejection } from './streamOrderWatch';
export {
  TeamsStreamer,
  type StreamBudget,
  type StreamMode,
  type TeamsStreamerOptions,
} from './teamsStreamer';
export { aiMessageEntity, streamInfoEntity, type AiMessageEntity, type StreamInfo } from './wireEntities';
export { streamUpdateActivity } from './streamActivities';
