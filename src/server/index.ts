export { botAuthenticationSettings, createAdapter, type AdapterSecurity } from './createAdapter';
export {
  answerCarriesTurnResult,
  EarlyAcknowledgingResponse,
  type IgnoredAnswer,
} from './earlyAcknowledgement';
export {
  RESTART_BASE_DELAY_MS,
  RESTART_MAX_DELAY_MS,
  RESTART_RESET_AFTER_MS,
  reportWorkerReady,
  restartBackoff,
  startCluster,
  type ClusterOptions,
  type RunningCluster,
} from './cluster';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './httpServer';
export { InFlightTurns } from './inFlightTurns';
export { createMessagesHandler, type MessagesEndpointOptions } from './messagesEndpoint';
export { RecentActivityIds, type RecentActivityIdsOptions } from './recentActivityIds';
export {
  checkInboundActivity,
  inboundActivitySchema,
  isKnownActivityType,
  type InboundCheck,
} from './inboundActivity';
export {
  MAX_ACTIVITY_ATTACHMENTS,
  MAX_ACTIVITY_BODY_BYTES,
  MAX_ACTIVITY_ENTITIES,
  MAX_ACTIVITY_MEMBERS,
  MAX_ACTIVITY_TEXT_CHARS,
  MAX_REQUEST_BODY_BYTES,
  REQUEST_RECEIVE_TIMEOUT_MS,
} from './inboundLimits';
export { startBotService, type BotService, type BotServiceOptions } from './startBotService';

// Inbound authentication and the outbound service-URL allow-list.
export * from './security';
