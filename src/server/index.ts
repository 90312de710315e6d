export { botAuthenticationSettings, createAdapter } from './createAdapter';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './httpServer';
