import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { createBotApplication, type StreamImplementation } from '.';
import { type AppConfig, modelNameOf } from '../config';
import { perMinutePolicy } from '../shared/rateLimit';
import { AnswerAdmission, type AnswerAdmissionLimits } from './answerAdmission';
import { ConfigError } from '../shared/errors';
import { backendSettings, openBackend, type Backend } from '../storage/backend';
import { syncKnowledgeFolder } from '../knowledge/ingestion';
import { createEmbedder, KnowledgeBase, type KnowledgeBaseOptions } from '../knowledge';
import type { Logger } from '../shared/logging';
import { abortableFetch, createChatModel } from '../model';
import { startOfflineModel, type RunningOfflineModel } from '../model/offlineModel';
import { startRetentionJob } from '../storage/retention';
import { ServiceUrlAllowList } from '../server/security';
import { createAdapter, type AdapterSecurity } from '../server';
import {
  ConflictMergingStorage,
  type FeedbackStore,
  type InboundActivityIds,
  type OpenStreamStore,
} from '../storage';
import { installEntitySerializationFix, type StreamBudget } from '../streaming';
import { systemClock, type Clock } from '../shared/time';
import { FairShare } from '../shared/scheduling';
import {
  createWorkItemTool,
  findWorkItemsTool,
  loadToolSchemas,
  searchKnowledgeTool,
  updateWorkItemTool,
  closeWorkItemsTool,
} from '../tools';

/** The assistant without any HTTP surface: what Teams, the terminal and the web chat all talk to. */
export interface Assistant {
  readonly app: Application<TurnState>;
  /** Teams' adapter (the Application needs one; the terminal never receives Teams traffic through it). */
  readonly adapter: TeamsAdapter;
  /** Where the bot may send (activity.serviceUrl); the adapter's credentials and Teams' endpoint enforce it. */
  readonly allowList: ServiceUrlAllowList;
  readonly feedbackStore: FeedbackStore;
  /** The inbound activity ids seen recently, on the database (shared by every process and instance). */
  readonly activityIds: InboundActivityIds;
  /** The Teams streams open in any process on the database (see startAbandonedStreamCloser). */
  readonly openStreams: OpenStreamStore;
  /** The bot's app id (undefined in anonymous mode), for proactive sends. */
  readonly botAppId: string | undefined;
  /** Where the data lives, without credentials ("SQLite <file>" or "PostgreSQL <host>:<port>/<database>"). */
  readonly database: string;
  /** Stops the offline model (if started) and closes the database. */
  close(): Promise<void>;
}

/** Replaceable parts, for tests. */
export interface AssistantOptions {
  logger: Logger;
  clock?: Clock;
  /** Where prompts/chat lives; defaults to the repository's prompts folder. */
  promptsFolder?: string;
  /** Which streamer answers on Teams; 'library' (teams-ai's stock StreamingResponse) is for the benchmark only. */
  streamImplementation?: StreamImplementation;
  /** Overrides of the stream's time and size limits, for tests; defaults are Teams' (STREAM_LIMITS). */
  streamBudget?: Partial<StreamBudget>;
  /** The bot's outbound credentials, for tests (see AdapterSecurity.credentialsFactory); default MSAL. */
  botCredentials?: AdapterSecurity['credentialsFactory'];
}

/**
 * How long admitted turns' work may run in one event-loop iteration before it gives way (see FairShare):
 * short enough that an iteration, which accepts one new connection, stays short under load.
 */
const TURN_WORK_SLICE_MS = 4;

/** The repository root, found from this file whether it runs from src/ (ts) or build/src/ (js). */
const PROJECT_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}build${path.sep}`) ? '../../..' : '../..',
);

/**
 * Builds the assistant: database (SQLite, or PostgreSQL with DATABASE_URL) and migrations, model (starting the
 * built-in offline model when no provider is configured), knowledge folder ingestion (and embeddings, when
 * configured), tools, the Teams AI application with its planner, and the retention job when RETENTION_DAYS
 * is set.
 */
export async function assembleAssistant(config: AppConfig, options: AssistantOptions): Promise<Assistant> {
  const { logger } = options;
  installEntitySerializationFix();
  if (!existsSync(config.knowledge.dir)) {
    throw new ConfigError('KNOWLEDGE_DIR', `the folder ${config.knowledge.dir} does not exist`);
  }
  const promptsFolder = options.promptsFolder ?? path.join(PROJECT_ROOT, 'prompts');

  // The stores stamp rows with the same clock the retention job compares against.
  const storeClock = options.clock ?? systemClock;
  const backend = await openBackend(backendSettings(config.storage), { logger, clock: storeClock });
  const cleanups: Array<() => Promise<void> | void> = [() => backend.close()];
  try {
    let offline: RunningOfflineModel | undefined;
    if (config.model.provider === 'offline') {
      offline = await startOfflineModel({
        timeToFirstTokenMs: config.model.timeToFirstTokenMs,
        tokensPerSecond: config.model.tokensPerSecond,
      });
      cleanups.unshift(() => offline?.close());
    }
    const knowledge = new KnowledgeBase(
      backend.passageIndex,
      knowledgeOptions(config, backend, logger, offline),
    );
    await syncKnowledgeFolder(knowledge, config.knowledge.dir, logger);
    // One fair share per process: admitted turns' state loading and prompt rendering give way to arrivals.
    const fairShare = new FairShare({ sliceMs: TURN_WORK_SLICE_MS, clock: storeClock });
    const model = createChatModel(config.model, logger, offline);
    const { workItems, feedback: feedbackStore, userConversations, stateMaintenance } = backend;
    const allowList = new ServiceUrlAllowList({
      extraHosts: config.outbound.extraServiceUrlHosts,
      allowLoopback: config.outbound.allowLoopback,
    });
    const adapter = createAdapter(config.bot, logger, {
      allowList,
      endpoints: config.botAuthentication,
      credentialsFactory: options.botCredentials,
    });
    const app = createBotApplication({
      adapter,
      botAppId: config.bot.kind === 'anonymous' ? undefined : config.bot.appId,
      // Turns of one conversation may run at once, in this or another instance: merge, never overwrite.
      storage: new ConflictMergingStorage(backend.storage, { logger }),
      model,
      modelName: modelNameOf(config.model),
      offlineModel: config.model.provider === 'offline',
      promptsFolder,
      tools: [
        searchKnowledgeTool(knowledge, { baseUrl: config.knowledge.baseUrl }),
        createWorkItemTool(workItems),
        findWorkItemsTool(workItems),
        updateWorkItemTool(workItems),
        closeWorkItemsTool(workItems),
      ],
      toolValidators: loadToolSchemas(path.join(promptsFolder, 'chat')),
      feedbackStore,
      userConversations,
      confirmationClaims: backend.activityIds,
      allowedTenants: config.tenants.allowed,
      logger,
      clock: options.clock,
      streamImplementation: options.streamImplementation,
      streamBudget: options.streamBudget,
      openStreams: backend.openStreams,
      checkpoint: fairShare.checkpoint,
      answerAdmission: new AnswerAdmission(admissionLimits(config), options.clock),
    });
    if (config.retention.days !== undefined) {
      const retention = startRetentionJob({
        days: config.retention.days,
        stores: { state: stateMaintenance, feedback: feedbackStore, userConversations },
        logger,
        clock: options.clock,
      });
      cleanups.unshift(() => retention.stop());
    }
    return {
      app,
      adapter,
      allowList,
      feedbackStore,
      activityIds: backend.activityIds,
      openStreams: backend.openStreams,
      botAppId: config.bot.kind === 'anonymous' ? undefined : config.bot.appId,
      database: backend.describe(),
      close: () => runCleanups(cleanups),
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

/** Hybrid search when an embeddings model is configured (through the chat provider's endpoint). */
function knowledgeOptions(
  config: AppConfig,
  backend: Backend,
  logger: Logger,
  offline: RunningOfflineModel | undefined,
): KnowledgeBaseOptions {
  if (!config.embeddings) return { logger };
  const embedder = createEmbedder(config.model, config.embeddings, {
    logger,
    offline,
    fetch: abortableFetch,
  });
  return { logger, embeddings: { embedder, vectors: backend.vectors } };
}

/** The admission limits of the configuration, as token-bucket policies per minute. */
function admissionLimits(config: AppConfig): AnswerAdmissionLimits {
  const { perUser, perConversation } = config.admission;
  return {
    maxAnswersInProgress: config.admission.maxAnswersInProgress,
    perUser: perUser && perMinutePolicy(perUser),
    perConversation: perConversation && perMinutePolicy(perConversation),
  };
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
}
