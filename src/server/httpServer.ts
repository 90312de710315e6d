import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import * as restify from 'restify';
import { registerAdminRoutes, type AdminSettings } from '../admin';
import type { Logger } from '../shared/logging';
import type { ServiceUrlAllowList } from './security';
import { systemClock, type Clock } from '../shared/time';
import { InFlightTurns } from './inFlightTurns';
import { MAX_ACTIVITY_BODY_BYTES, MAX_REQUEST_BODY_BYTES, REQUEST_RECEIVE_TIMEOUT_MS } from './inboundLimits';
import { createMessagesHandler } from './messagesEndpoint';
import { RecentActivityIds } from './recentActivityIds';
import type { InboundActivityIds } from '../storage/inboundActivityIds';

/** A listening HTTP server. */
export interface RunningHttpServer {
  readonly port: number;
  /** Base URL on loopback, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  /**
   * Stops accepting requests, waits (up to the shutdown timeout) for turns still running in the background
   * to finish, then closes every connection.
   */
  close(): Promise<void>;
}

/** What the HTTP server routes to. */
export interface HttpServerOptions {
  port: number;
  host: string;
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  logger: Logger;
  /** The hosts the bot may answer at (activity.serviceUrl). */
  allowList: ServiceUrlAllowList;
  /** Time source for the repeated-activity window and the shutdown wait; default the system clock. */
  clock?: Clock;
  /** How long `close()` waits for running turns before it cuts them off; default 10 s. */
  shutdownTimeoutMs?: number;
  /** The admin pages (GET /admin/feedback); left out, or without a token, they do not exist. */
  admin?: AdminSettings;
  /**
   * The inbound activity ids seen recently; default one in this process's memory. The bot passes the
   * database's, shared by every process (BOT_PROCESSES) and instance.
   */
  activityIds?: InboundActivityIds;
  /** Registers further routes (the web chat) on the server before it listens. */
  routes?: (server: restify.Server) => void;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Teams' endpoint. */
const MESSAGES_PATH = '/api/messages';

/**
 * The restify server: `POST /api/messages` carries Teams activities through the adapter into the Teams AI
 * application (answered as soon as the turn starts, see {@link createMessagesHandler}); `GET /healthz`
 * answers 200 (with the serving process's pid) when the bot is up; with an admin token, `GET /admin/feedback` serves the feedback insight page.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const clock = options.clock ?? systemClock;
  const turns = new InFlightTurns(clock);
  const server = restify.createServer({ name: 'teams-stream-assistant', handleUncaughtExceptions: false });
  // A client that trickles its request in is cut off instead of holding a socket for Node's default 5 minutes.
  server.server.requestTimeout = REQUEST_RECEIVE_TIMEOUT_MS;
  server.server.headersTimeout = REQUEST_RECEIVE_TIMEOUT_MS;

  // Request bodies are read for every route, and only JSON is parsed (no forms, no multipart uploads):
  // 413 over the route's size limit, 400 for malformed JSON.
  const readActivityBody = restify.plugins.bodyReader({ maxBodySize: MAX_ACTIVITY_BODY_BYTES });
  const readOtherBody = restify.plugins.bodyReader({ maxBodySize: MAX_REQUEST_BODY_BYTES });
  server.use((req, res, next) => {
    const readBody = req.getPath() === MESSAGES_PATH ? readActivityBody : readOtherBody;
    void readBody(req, res, next);
  });
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));

  server.post(
    MESSAGES_PATH,
    requireJsonContent,
    createMessagesHandler({
      adapter: options.adapter,
      app: options.app,
      logger: options.logger,
      recentActivities: options.activityIds ?? new RecentActivityIds({ clock }),
      turns,
      allowList: options.allowList,
    }),
  );
  server.get('/healthz', (_req, res, next) => {
    // The pid tells which process of a cluster (BOT_PROCESSES) answered.
    res.send(200, { status: 'ok', pid: process.pid });
    next();
  });
  if (options.admin) registerAdminRoutes(server, { ...options.admin, logger: options.logger });
  options.routes?.(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = server.address().port;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      if (turns.count > 0) {
        options.logger.info({ running: turns.count }, 'waiting for running turns before shutting down');
      }
      const cut = await turns.drain(shutdownTimeoutMs);
      if (cut > 0) {
        options.logger.warn(
          { cut, shutdownTimeoutMs },
          `${cut} running turn(s) were cut off by the shutdown after ${shutdownTimeoutMs} ms`,
        );
      }
      server.server.closeAllConnections();
      await closed;
    },
  };
}

/** Answers 415 unless the request says it carries JSON (`application/json`, any charset). */
function requireJsonContent(req: restify.Request, res: restify.Response, next: restify.Next): void {
  if (req.is('json')) {
    next();
    return;
  }
  res.send(415, { error: 'UnsupportedMediaType', message: 'send the activity as application/json' });
  next(false);
}
