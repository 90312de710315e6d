import { type AppConfig, describeModel } from '../config';
import { startHttpServer } from '.';
import { startTelemetry } from '../observability/startTelemetry';
import { InProcessChannel } from '../surfaces';
import { WebChat } from '../surfaces/web';
import { assembleAssistant, type AssistantOptions } from '../turn/assembleAssistant';
import { PROCESS_INSTANCE_ID } from '../shared/process';
import { startAbandonedStreamCloser } from './abandonedStreams';
import { anonymousListenNotice } from './security';

/** The running bot: its HTTP server, database and (when configured) the offline model. */
export interface BotService {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Replaceable parts, for tests. */
export type BotServiceOptions = AssistantOptions;

/**
 * Wires the bot together and starts it: OpenTelemetry export when configured (src/observability), the assistant (database, knowledge, model, Teams AI application),
 * the HTTP server with Teams' endpoint, and the web chat (`POST /api/chat`, `GET /chat`) when
 * `CHAT_API_KEY` is set. Reports the chosen model once.
 */
export async function startBotService(config: AppConfig, options: BotServiceOptions): Promise<BotService> {
  const { logger } = options;
  // Before anything that traces or counts: with no exporter configured this starts nothing.
  const telemetry = await startTelemetry(config.telemetry, logger);
  let assistant;
  try {
    assistant = await assembleAssistant(config, options);
  } catch (error) {
    await telemetry?.shutdown();
    throw error;
  }
  const webChat = new WebChat({
    apiKey: config.chat.apiKey,
    channel: new InProcessChannel({ app: assistant.app, channelId: 'web' }),
    logger,
    rateLimit: config.chat.rateLimit,
    clock: options.clock,
  });
  try {
    const server = await startHttpServer({
      port: config.server.port,
      host: config.server.host,
      adapter: assistant.adapter,
      app: assistant.app,
      logger,
      allowList: assistant.allowList,
      activityIds: assistant.activityIds,
      clock: options.clock,
      admin: { token: config.admin.token, feedback: assistant.feedbackStore },
      routes: (restifyServer) => {
        webChat.register(restifyServer);
      },
    });
    // Streams a dead process left open (this one's predecessor, or another instance) get their final message.
    const streamCloser = startAbandonedStreamCloser({
      store: assistant.openStreams,
      adapter: assistant.adapter,
      botAppId: assistant.botAppId,
      ownerId: PROCESS_INSTANCE_ID,
      logger,
      clock: options.clock,
    });
    logger.info(
      {
        port: server.port,
        pid: process.pid,
        model: describeModel(config.model),
        auth: config.bot.kind,
        database: assistant.database,
        webChat: config.chat.apiKey !== undefined,
      },
      `bot listening on port ${server.port}; model: ${describeModel(config.model)}`,
    );
    if (config.bot.kind === 'anonymous') {
      logger.warn(
        'BOT_ID is not set: anonymous mode, unauthenticated requests are accepted. It exists for local development and the Agents Playground only; never expose it publicly (NODE_ENV=production refuses to start without BOT_ID).',
      );
    }
    const listenNotice = anonymousListenNotice(config, server.port);
    if (listenNotice) logger[listenNotice.level]({ host: config.server.host }, listenNotice.message);
    return {
      port: server.port,
      url: server.url,
      close: async () => {
        // Closing the server closes the web chat's connections, which stops their answers.
        await server.close();
        await webChat.idle();
        await streamCloser.stop();
        await assistant.close();
        // Last: flushes the spans and metrics of the turns that just ended.
        await telemetry?.shutdown();
      },
    };
  } catch (error) {
    await assistant.close();
    await telemetry?.shutdown();
    throw error;
  }
}
