export {
  citationsForText,
  citedPositions,
  normalizeCitationMarkers,
  type CitationSource,
  type ClientCitation,
} from './citations';
export { installEntitySerializationFix } from './entitySerializationFix';
export { STREAM_LIMITS } from './streamLimits';
export { streamOrderWatchMiddleware, type StreamOrderRejection } from './streamOrderWatch';
export {
  TeamsStreamer,
  type StreamBudget,
  type StreamMode,
  type StreamOutcome,
  type TeamsStreamerOptions,
} from './teamsStreamer';
export { aiMessageEntity, streamInfoEntity, type AiMessageEntity, type StreamInfo } from './wireEntities';
