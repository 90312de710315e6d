import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import * as restify from 'restify';
import type { Logger } from '../logging';

/** A listening HTTP server. */
export interface RunningHttpServer {
  readonly port: number;
  /** Base URL on loopback, e.g. http://127.0.0.1:3978 */
  readonly url: string;
  close(): Promise<void>;
}

/** What the HTTP server routes to. */
export interface HttpServerOptions {
  port: number;
  host: string;
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  logger: Logger;
}

/**
 * The restify server: `POST /api/messages` carries Teams activities through the adapter into the Teams AI
 * application; `GET /healthz` answers 200 when the bot is up.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = restify.createServer({ name: 'teams-stream-assistant', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req, res) => {
    try {
      await options.adapter.process(req, res, (context) => options.app.run(context).then(() => undefined));
    } catch (error) {
      options.logger.error({ err: error }, 'an inbound activity could not be processed');
      if (!res.headersSent) res.send(500);
    }
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = server.address().port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
