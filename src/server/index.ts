export { botAuthenticationSettings, createAdapter } from './createAdapter';
export {
  answerCarriesTurnResult,
  EarlyAcknowledgingResponse,
  type IgnoredAnswer,
} from './earlyAcknowledgement';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './httpServer';
export { InFlightTurns } from './inFlightTurns';
export { createMessagesHandler, type MessagesEndpointOptions } from './messagesEndpoint';
export { RecentActivityIds, type RecentActivityIdsOptions } from './recentActivityIds';
