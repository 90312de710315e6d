import { existsSync } from 'node:fs';
import path from 'node:path';
import { createBotApplication, type StreamImplementation } from '../bot';
import { type AppConfig, describeModel } from '../config';
import { ConfigError } from '../errors';
import { KnowledgeBase, SqlitePassageIndex } from '../knowledge';
import type { Logger } from '../logging';
import { createChatModel } from '../model';
import { startOfflineModel, type RunningOfflineModel } from '../model/offline';
import { createAdapter, startHttpServer } from '../server';
import { openDatabase, SqliteStorage, SqliteFeedbackStore, SqliteWorkItemStore } from '../storage';
import { installEntitySerializationFix, type StreamBudget } from '../streaming';
import type { Clock } from '../time';
import {
  createWorkItemTool,
  findWorkItemsTool,
  loadToolSchemas,
  searchKnowledgeTool,
  updateWorkItemTool,
} from '../tools';

/** The running bot: its HTTP server, database and (when configured) the offline model. */
export interface BotService {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Replaceable parts, for tests. */
export interface BotServiceOptions {
  logger: Logger;
  clock?: Clock;
  /** Where prompts/chat lives; defaults to the repository's prompts folder. */
  promptsFolder?: string;
  /** Which streamer answers; 'library' (teams-ai's stock StreamingResponse) is for the benchmark only. */
  streamImplementation?: StreamImplementation;
  /** Overrides of the stream's time and size limits, for tests; defaults are Teams' (STREAM_LIMITS). */
  streamBudget?: Partial<StreamBudget>;
}

/** The repository root, found from this file whether it runs from src/ (ts) or build/src/ (js). */
const PROJECT_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}build${path.sep}`) ? '../../..' : '../..',
);

/**
 * Wires the bot together and starts it: database and migrations, knowledge base load, model (starting the
 * built-in offline model when no provider is configured), Teams AI application, adapter and HTTP server.
 * Reports the chosen model once.
 */
export async function startBotService(config: AppConfig, options: BotServiceOptions): Promise<BotService> {
  const { logger } = options;
  installEntitySerializationFix();
  if (!existsSync(config.knowledge.dir)) {
    throw new ConfigError('KNOWLEDGE_DIR', `the folder ${config.knowledge.dir} does not exist`);
  }
  const promptsFolder = options.promptsFolder ?? path.join(PROJECT_ROOT, 'prompts');

  const db = openDatabase({ file: config.storage.databaseFile, journalMode: config.storage.journalMode });
  const cleanups: Array<() => Promise<void> | void> = [
    () => {
      db.close();
    },
  ];
  try {
    const knowledge = new KnowledgeBase(new SqlitePassageIndex(db));
    const loaded = await knowledge.loadFolder(config.knowledge.dir);
    logger.info({ ...loaded, folder: config.knowledge.dir }, 'knowledge base loaded');

    let offline: RunningOfflineModel | undefined;
    if (config.model.provider === 'offline') {
      offline = await startOfflineModel({
        timeToFirstTokenMs: config.model.timeToFirstTokenMs,
        tokensPerSecond: config.model.tokensPerSecond,
      });
      cleanups.unshift(() => offline?.close());
    }
    const model = createChatModel(config.model, offline);
    const workItems = new SqliteWorkItemStore(db);
    const feedbackStore = new SqliteFeedbackStore(db);
    const adapter = createAdapter(config.bot, logger);
    const app = createBotApplication({
      adapter,
      botAppId: config.bot.kind === 'anonymous' ? undefined : config.bot.appId,
      storage: new SqliteStorage(db),
      model,
      offlineModel: config.model.provider === 'offline',
      promptsFolder,
      tools: [
        searchKnowledgeTool(knowledge),
        createWorkItemTool(workItems),
        findWorkItemsTool(workItems),
        updateWorkItemTool(workItems),
      ],
      toolValidators: loadToolSchemas(path.join(promptsFolder, 'chat')),
      feedbackStore,
      logger,
      clock: options.clock,
      streamImplementation: options.streamImplementation,
      streamBudget: options.streamBudget,
    });
    const server = await startHttpServer({
      port: config.server.port,
      host: config.server.host,
      adapter,
      app,
      logger,
      clock: options.clock,
      admin: { token: config.admin.token, feedback: feedbackStore },
    });
    cleanups.unshift(() => server.close());
    logger.info(
      {
        port: server.port,
        model: describeModel(config.model),
        auth: config.bot.kind,
        database: config.storage.databaseFile,
      },
      `bot listening on port ${server.port}; model: ${describeModel(config.model)}`,
    );
    if (config.bot.kind === 'anonymous') {
      logger.warn(
        'BOT_ID is not set: unauthenticated requests are accepted. Fine for the Agents Playground, never for a public endpoint.',
      );
    }
    return { port: server.port, url: server.url, close: () => runCleanups(cleanups) };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
}
