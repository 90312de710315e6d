import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/shared/logging';
import {
  startOfflineModel,
  type OfflineModelOptions,
  type RunningOfflineModel,
} from '../../dev/offline-model';
import { startBotService, type BotService, type BotServiceOptions } from '../../src/server';
import type { StreamBudget } from '../../src/streaming';
import type { Clock } from '../../src/shared/time';
import { startFakeBotConnector, type FakeBotConnector } from './fakeBotConnector';

/** The repository root (tests run from build/test/...). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The real bot, started in-process against a fake Bot Connector and a local OpenAI-compatible model server. */
export interface TestBot {
  service: BotService;
  model: RunningOfflineModel;
  connector: FakeBotConnector;
  dataDir: string;
  /** POSTs an activity to /api/messages and returns the HTTP status and body text. */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: string }>;
  /** Stops the bot only (the data folder, model and connector stay), e.g. to restart it. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Options for a test bot. */
export interface TestBotOptions {
  model?: OfflineModelOptions;
  env?: Record<string, string>;
  /** Defaults to a silent logger. */
  logger?: Logger;
  /** Shorter stream limits, to reach them in a test. */
  streamBudget?: Partial<StreamBudget>;
  /** The bot's outbound credentials (see BotServiceOptions.botCredentials). */
  botCredentials?: BotServiceOptions['botCredentials'];
  /** Headers added to every post (e.g. Authorization). */
  headers?: () => Record<string, string>;
  /** The bot's clock; defaults to the real one. */
  clock?: Clock;
}

/** Starts a test bot; `close()` stops everything it started and removes its data folder. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const model = await startOfflineModel({ timeToFirstTokenMs: 30, tokensPerSecond: 400, ...options.model });
  const connector = await startFakeBotConnector();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bot-test-'));
  const start = () =>
    startBotService(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
        OPENAI_BASE_URL: model.baseUrl,
        OPENAI_MODEL: 'test-model',
        LOG_LEVEL: 'silent',
        // Tests send many messages as one user in one conversation; the limits have their own tests.
        USER_MESSAGES_PER_MINUTE: '0',
        CONVERSATION_MESSAGES_PER_MINUTE: '0',
        ...options.env,
      }),
      {
        logger: options.logger ?? createLogger('silent'),
        streamBudget: options.streamBudget,
        botCredentials: options.botCredentials,
        clock: options.clock,
      },
    );
  let service: BotService;
  try {
    service = await start();
  } catch (error) {
    await model.close();
    await connector.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const bot: TestBot = {
    get service() {
      return service;
    },
    model,
    connector,
    dataDir,
    async post(activity) {
      const response = await fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers?.() },
        body: JSON.stringify({ serviceUrl: connector.url, ...activity }),
      });
      return { status: response.status, body: await response.text() };
    },
    async restart() {
      await service.close();
      service = await start();
    },
    async close() {
      await service.close();
      await model.close();
      await connector.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return bot;
}

let activityCounter = 0;

/** A Teams message activity from a user, as the Bot Connector delivers it. */
export function userMessage(
  text: string,
  options: {
    conversationId?: string;
    conversationType?: string;
    locale?: string;
    tenantId?: string;
    userId?: string;
    /** Defaults to `msteams`; Microsoft 365 Copilot Chat sends `msteams:Copilot`. */
    channelId?: string;
  } = {},
): Record<string, unknown> {
  activityCounter += 1;
  const tenantId = options.tenantId ?? 'tenant-1';
  return {
    type: 'message',
    id: `inbound-${activityCounter}`,
    channelId: options.channelId ?? 'msteams',
    timestamp: new Date().toISOString(),
    text,
    locale: options.locale ?? 'en-US',
    from: {
      id: options.userId ?? 'user-1',
      name: 'Dana Scully',
      aadObjectId: options.userId ?? 'aad-user-1',
    },
    recipient: { id: 'bot-1', name: 'Stream Assistant' },
    conversation: {
      id: options.conversationId ?? 'conversation-1',
      conversationType: options.conversationType ?? 'personal',
      tenantId,
    },
    channelData: { tenant: { id: tenantId } },
  };
}

/** A thumbs up/down submission, as Teams (JSON-string feedback) or the Agents Playground (plain text) sends it. */
export function feedbackInvoke(options: {
  reaction: 'like' | 'dislike';
  feedback: string;
  replyToId?: string;
  conversationId?: string;
  /** Defaults to `msteams`; Microsoft 365 Copilot Chat sends `msteams:Copilot`. */
  channelId?: string;
}): Record<string, unknown> {
  activityCounter += 1;
  return {
    type: 'invoke',
    name: 'message/submitAction',
    id: `inbound-${activityCounter}`,
    channelId: options.channelId ?? 'msteams',
    from: { id: 'user-1', name: 'Dana Scully', aadObjectId: 'aad-user-1' },
    recipient: { id: 'bot-1', name: 'Stream Assistant' },
    conversation: {
      id: options.conversationId ?? 'conversation-1',
      conversationType: 'personal',
      tenantId: 'tenant-1',
    },
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    value: {
      actionName: 'feedback',
      actionValue: { reaction: options.reaction, feedback: options.feedback },
    },
  };
}
