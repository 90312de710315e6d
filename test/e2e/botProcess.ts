import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevRunnerError } from '../../dev/runner/devRunnerError';
import { parseLogRecord } from '../../dev/runner/logLineFormat';
import { startManagedChild, type ChildExit } from '../../dev/runner/managedChild';
import { waitForHttp } from '../../dev/runner/waitForHttp';
import { waitForChildPort } from '../support/childPort';

/** The repository root (tests run from build/test/e2e). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
/** The real bot, as `npm start` runs it. */
export const BOT_ENTRY = path.join(REPO_ROOT, 'build/src/index.js');

/** Settings that would make the bot leave the offline model or require Bot Connector authentication. */
const FOREIGN_SETTINGS =
  /^(OPENAI_|AZURE_OPENAI_|AZURE_CLIENT_ID$|BOT_ID$|BOT_PASSWORD$|BOT_TYPE$|BOT_TENANT_ID$|NODE_ENV$)/;

/** The bot running as a child process on loopback, with its own temporary data folder. */
export interface BotProcess {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number | undefined;
  readonly dataDir: string;
  /** `${dataDir}/bot.sqlite` */
  readonly databaseFile: string;
  /** Everything the bot printed so far. */
  output(): string;
  /** Resolves once with how it exited (also when something other than `stop` ended it). */
  readonly exited: Promise<ChildExit>;
  /** SIGTERM, then SIGKILL after the grace period; resolves with how it exited. Idempotent. */
  stop(): Promise<ChildExit>;
  /** SIGKILL at once (a crash: no shutdown of any kind); resolves with how it exited. */
  kill(): Promise<ChildExit>;
  /** Removes the data folder (call after stop). */
  removeData(): void;
}

/** Builds the bot's environment from this process's: offline model, anonymous auth, loopback, a given data folder. */
export function offlineBotEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!FOREIGN_SETTINGS.test(name)) env[name] = value;
  }
  return {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
    LOG_LEVEL: 'info',
  };
}

/**
 * Starts `node build/src/index.js` on a port of its choosing (PORT=0; the port is read from its startup log),
 * with no model keys (plus `env`, e.g. DATABASE_URL), and waits until GET /healthz answers 200.
 * @throws DevRunnerError with the bot's output when it does not start in time.
 */
export async function startBotProcess(
  options: {
    startTimeoutMs?: number;
    env?: Record<string, string>;
    /** An existing data folder (the database of a bot that ran before); default: a new temporary one. */
    dataDir?: string;
  } = {},
): Promise<BotProcess> {
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'bot-e2e-'));
  const lines: string[] = [];
  let onPort: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (onPort = resolve));
  const child = startManagedChild({
    name: 'bot',
    command: process.execPath,
    args: [BOT_ENTRY],
    cwd: REPO_ROOT,
    env: { ...offlineBotEnv(dataDir, 0), ...options.env },
    onLine: (line) => {
      lines.push(line);
      const record = parseLogRecord(line);
      if (typeof record?.port === 'number' && /listening/i.test(String(record.msg))) onPort(record.port);
    },
  });
  const output = (): string => lines.join('\n');
  const removeData = (): void => rmSync(dataDir, { recursive: true, force: true });
  try {
    const port = await waitForChildPort('the bot', listening, child.exited, timeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, { timeoutMs });
    return {
      port,
      url,
      pid: child.pid,
      dataDir,
      databaseFile: path.join(dataDir, 'bot.sqlite'),
      output,
      exited: child.exited,
      stop: () => child.stop(),
      kill: () => {
        child.kill();
        return child.exited;
      },
      removeData,
    };
  } catch (error) {
    await child.stop();
    if (options.dataDir === undefined) removeData();
    throw new DevRunnerError(`${error instanceof Error ? error.message : String(error)}\n${output()}`, {
      cause: error,
    });
  }
}
