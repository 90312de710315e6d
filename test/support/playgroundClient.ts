/**
 * A typed client for a real Agents Playground (the local Teams client), driven through the same HTTP and
 * WebSocket API its web UI uses. It starts the playground offline, listens to the conversation stream (what
 * the UI renders) and to the log stream (the raw JSON that went between playground and bot, with the HTTP
 * answers), and sends messages and feedback the way the UI does.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AssertionError } from 'node:assert';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ConnectorError } from '../../src/shared/errors';
import { DevRunnerError } from '../../dev/runner/devRunnerError';
import { startManagedChild } from '../../dev/runner/managedChild';
import { parseListeningPort, playgroundCommand } from '../../dev/runner/playgroundCommand';
import { waitForHttp } from '../../dev/runner/waitForHttp';
import { waitForChildPort } from './childPort';

/** Options of {@link startPlayground}. */
export interface StartPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  appEndpoint: string;
  /** Default: a free port chosen by the playground. */
  port?: number;
  /** How long the playground gets to answer /_debug/ping; default 30 s. */
  startTimeoutMs?: number;
}

/** A user of the playground's fake tenant. */
export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId?: string;
}

/** The ids of the playground's fake tenant (GET /_internal/v1/config). */
export interface PlaygroundConfig {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string; name: string };
  groupChats: Array<{ id: string; name: string; members: string[] }>;
  teams: Array<{ id: string; name: string; channels: Array<{ id: string; name: string }> }>;
}

/** A Bot Framework activity as raw wire JSON; tests read it field by field. */
export interface ActivityJson {
  type: string;
  id?: string;
  name?: string;
  text?: string;
  replyToId?: string;
  value?: unknown;
  entities?: Array<Record<string, unknown> & { type: string }>;
  attachments?: Array<{ contentType: string; content?: unknown }>;
  channelData?: Record<string, unknown>;
  conversation?: { id: string; conversationType?: string; tenantId?: string };
  from?: { id: string; name?: string; aadObjectId?: string };
  [field: string]: unknown;
}

/** One HTTP exchange between the playground and the bot, as the playground logged it. */
export interface LoggedExchange {
  /** `bot`: the bot called the playground's connector API; `playground`: the playground posted to the bot. */
  sender: 'bot' | 'playground';
  activity: ActivityJson;
  /** The HTTP status the receiver answered. */
  status: number;
  responseBody: unknown;
  timestamp: number;
}

/** A message as the playground's UI receives it on the conversation stream (created or updated). */
export interface ConversationEvent {
  action: string;
  conversationId: string;
  message: Record<string, unknown> & { messageId: string };
}

/** A feedback submission (the thumbs up/down dialog). */
export interface FeedbackInput {
  reaction: 'like' | 'dislike';
  feedback: string;
  /**
   * The rated bot message. The playground's own UI sends no replyToId (and its invoke API drops one); when it
   * is given, the invoke is sent as a custom activity so it reaches the bot the way real Teams sends it.
   */
  replyToId?: string;
}

/** The bot's answer to an invoke, read from the playground's log of the exchange. */
export interface InvokeResult {
  status: number;
  body: unknown;
  activity: ActivityJson;
}

/** What the playground answered when a user message was posted. */
export interface PostedMessage {
  messageId: string;
  timestamp: number;
}

/** A running Agents Playground. */
export interface Playground {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The fake tenant's ids; the first call waits (up to 15 s, the playground's own limit) for the bot. */
  config(): Promise<PlaygroundConfig>;
  /** Posts a user message in the personal chat (or `conversationId`) exactly as the UI does. */
  send(text: string, options?: { conversationId?: string }): Promise<PostedMessage>;
  /** Every activity the bot sent to the playground so far, in arrival order, as raw wire JSON. */
  activities(): ActivityJson[];
  /** Every logged exchange so far, both directions, with the HTTP answers. */
  traffic(): LoggedExchange[];
  /** What the UI was told to render so far. */
  conversationEvents(): ConversationEvent[];
  /**
   * Resolves with the predicate's first truthy result, re-evaluated whenever the bot sends something.
   * @throws AssertionError after `timeoutMs`, listing what the bot sent.
   */
  waitFor<T>(
    predicate: (activities: ActivityJson[]) => T | undefined | null | false,
    timeoutMs: number,
  ): Promise<T>;
  /** Submits thumbs up/down feedback and resolves with the bot's HTTP answer to the invoke. */
  invokeFeedback(input: FeedbackInput): Promise<InvokeResult>;
  /** The playground's console output and log file, for diagnostics. */
  output(): string;
  /** Stops the playground's process group, closes the sockets, removes the temp folder. Idempotent. */
  stop(): Promise<void>;
}

const HTTP_JSON = { 'content-type': 'application/json' };
/** The playground's labels for the two sides in its log. */
const BOT_LABEL = 'User Application';
const PLAYGROUND_LABEL = 'Microsoft 365 Agents Playground';
const OUTPUT_TAIL_CHARS = 20_000;

/**
 * Starts the Agents Playground offline (telemetry off, no browser, loopback only) in a temp folder, waits until
 * it answers `/_debug/ping`, and connects its conversation and log WebSockets before anything is sent.
 * @throws DevRunnerError with the playground's output when it does not start.
 */
export async function startPlayground(options: StartPlaygroundOptions): Promise<Playground> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'agents-playground-'));
  const logFile = path.join(workDir, 'playground.log');
  const consoleLines: string[] = [];
  let onListening: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (onListening = resolve));
  const child = startManagedChild({
    name: 'Agents Playground',
    cwd: workDir,
    ...playgroundCommand({ appEndpoint: options.appEndpoint, port: options.port ?? 0, logFile }),
    onLine: (line, stream) => {
      consoleLines.push(`${stream}: ${line}`);
      const port = parseListeningPort(line);
      if (port !== undefined) onListening(port);
    },
  });
  const output = (): string => {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8').slice(-OUTPUT_TAIL_CHARS);
    } catch (error) {
      log = `(no log file: ${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    return `${consoleLines.join('\n')}\n--- ${logFile} ---\n${log}`;
  };
  const discard = async (): Promise<void> => {
    await child.stop();
    rmSync(workDir, { recursive: true, force: true });
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  try {
    const port = await waitForChildPort('the Agents Playground', listening, child.exited, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/_debug/ping`, {
      timeoutMs,
      isReady: (status, body) => status === 200 && body.trim() === 'pong',
    });
    const [conversationSocket, logSocket] = await Promise.all([
      openSocket(`${url.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`),
      openSocket(`${url.replace('http', 'ws')}/_ws/log/stream`),
    ]);
    return new RunningPlayground(port, url, conversationSocket, logSocket, output, discard);
  } catch (error) {
    const details = output();
    await discard();
    throw new DevRunnerError(`${error instanceof Error ? error.message : String(error)}\n${details}`, {
      cause: error,
    });
  }
}

class RunningPlayground implements Playground {
  private readonly exchanges: LoggedExchange[] = [];
  private readonly events: ConversationEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private cachedConfig: PlaygroundConfig | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly port: number,
    readonly url: string,
    private readonly conversationSocket: WebSocket,
    private readonly logSocket: WebSocket,
    private readonly readOutput: () => string,
    private readonly discard: () => Promise<void>,
  ) {
    logSocket.on('message', (data) => this.onLogMessage(parseJson(rawText(data))));
    conversationSocket.on('message', (data) => this.onConversationMessage(parseJson(rawText(data))));
  }

  async config(): Promise<PlaygroundConfig> {
    if (!this.cachedConfig) {
      const body = await this.request('GET', '/_internal/v1/config');
      this.cachedConfig = (body as { config: PlaygroundConfig }).config;
    }
    return this.cachedConfig;
  }

  async send(text: string, options: { conversationId?: string } = {}): Promise<PostedMessage> {
    const config = await this.config();
    const conversationId = options.conversationId ?? config.personalChat.id;
    const body = await this.request(
      'POST',
      `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      {
        type: 'text',
        text,
        textFormat: 'plain',
        from: { id: config.currentUser.id },
      },
    );
    return body as PostedMessage;
  }

  activities(): ActivityJson[] {
    return this.exchanges
      .filter((exchange) => exchange.sender === 'bot')
      .map((exchange) => exchange.activity);
  }

  traffic(): LoggedExchange[] {
    return [...this.exchanges];
  }

  conversationEvents(): ConversationEvent[] {
    return [...this.events];
  }

  waitFor<T>(
    predicate: (activities: ActivityJson[]) => T | undefined | null | false,
    timeoutMs: number,
  ): Promise<T> {
    return this.waitForState(
      () => predicate(this.activities()),
      timeoutMs,
      'the bot to send what the test waits for',
    );
  }

  async invokeFeedback(input: FeedbackInput): Promise<InvokeResult> {
    const config = await this.config();
    const value = {
      actionName: 'feedback',
      actionValue: { reaction: input.reaction, feedback: input.feedback },
    };
    const invokesBefore = this.invokesSent().length;
    if (input.replyToId === undefined) {
      // Exactly the UI's request when a user submits the feedback dialog.
      await this.request('POST', '/_conversation/v1/invoke', {
        name: 'message/submitAction',
        from: { id: config.currentUser.id },
        conversation: { id: config.personalChat.id },
        value,
      });
      const exchange = await this.waitForState(
        () => this.invokesSent()[invokesBefore],
        10_000,
        'the playground to log the feedback invoke',
      );
      return { status: exchange.status, body: exchange.responseBody, activity: exchange.activity };
    }
    const activity = this.feedbackActivity(config, value, input.replyToId);
    await this.request('POST', '/_internal/v1/customActivities', activity);
    const exchange = await this.waitForState(
      () => this.invokesSent().find((sent) => sent.activity.id === activity.id),
      10_000,
      'the playground to log the feedback invoke',
    );
    return { status: exchange.status, body: exchange.responseBody, activity: exchange.activity };
  }

  output(): string {
    return this.readOutput();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.conversationSocket.terminate();
      this.logSocket.terminate();
      await this.discard();
    })();
    return this.stopping;
  }

  private invokesSent(): LoggedExchange[] {
    return this.exchanges.filter(
      (exchange) => exchange.sender === 'playground' && exchange.activity.name === 'message/submitAction',
    );
  }

  /** The invoke real Teams sends for a feedback submission, with the rated message's id as replyToId. */
  private feedbackActivity(config: PlaygroundConfig, value: unknown, replyToId: string): ActivityJson {
    const user = config.currentUser;
    return {
      type: 'invoke',
      name: 'message/submitAction',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: `http://localhost:${this.port}/_connector`,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: config.bot.id, name: config.bot.name },
      conversation: { id: config.personalChat.id, conversationType: 'personal', tenantId: config.tenantId },
      channelData: { source: { name: 'message' }, tenant: { id: config.tenantId } },
      replyToId,
      value,
    };
  }

  private waitForState<T>(
    read: () => T | undefined | null | false,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const result = read();
        if (result === undefined || result === null || result === false) return false;
        cleanup();
        resolve(result);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new AssertionError({
            message: `timed out after ${timeoutMs} ms waiting for ${what}.\n${this.describeTraffic()}`,
          }),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(onChange);
      };
      const onChange = (): void => {
        try {
          check();
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      this.listeners.add(onChange);
      onChange();
    });
  }

  /** The exchanges so far, one JSON line each, for failure messages. */
  private describeTraffic(): string {
    if (this.exchanges.length === 0) return 'Nothing went between the playground and the bot.';
    return [
      'Traffic between the playground and the bot:',
      ...this.exchanges.map(
        (exchange) => `  ${exchange.sender} -> ${exchange.status}: ${JSON.stringify(exchange.activity)}`,
      ),
    ].join('\n');
  }

  private async request(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${route}`, {
      method,
      headers: HTTP_JSON,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new ConnectorError(
        `the Agents Playground answered ${method} ${route} with HTTP ${response.status}: ${text}`,
        response.status,
        undefined,
        false,
      );
    }
    return text === '' ? undefined : parseJson(text);
  }

  private onLogMessage(message: unknown): void {
    const exchange = toExchange(message);
    if (!exchange) return;
    this.exchanges.push(exchange);
    this.notify();
  }

  private onConversationMessage(message: unknown): void {
    if (!isRecord(message) || !isRecord(message.message)) return;
    this.events.push({
      action: String(message.action),
      conversationId: String(message.actionConversationId),
      message: message.message as ConversationEvent['message'],
    });
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Reads a log-stream message `{logAction:'appendLog', log:{from,to,request:{body},response:{statusCode,body}}}`. */
function toExchange(message: unknown): LoggedExchange | undefined {
  if (!isRecord(message) || !isRecord(message.log)) return undefined;
  const log = message.log;
  if (!isRecord(log.request) || !isRecord(log.request.body) || !isRecord(log.response)) return undefined;
  const sender = log.from === BOT_LABEL ? 'bot' : log.from === PLAYGROUND_LABEL ? 'playground' : undefined;
  if (!sender) return undefined;
  return {
    sender,
    activity: log.request.body as ActivityJson,
    status: typeof log.response.statusCode === 'number' ? log.response.statusCode : 0,
    responseBody: log.response.body,
    timestamp: typeof log.timestamp === 'number' ? log.timestamp : Date.now(),
  };
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.off('error', reject);
      // A socket error after opening is a broken playground: it shows up as a timeout with its output.
      socket.on('error', (error) => console.error(`[playgroundClient] ${url}: ${error.message}`));
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
