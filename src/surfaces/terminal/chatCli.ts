/**
 * `npm run chat`: the assistant in the terminal, with the bot's configuration (the offline model when no key
 * is set) and its database. Options: `--conversation <id>` continues an earlier terminal conversation.
 * Logs go to `<DATA_DIR>/terminal-chat.log`, so they do not mix with the chat.
 */
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describeModel, loadConfig, secretValues } from '../../config';
import { ConfigError } from '../../shared/errors';
import { createLogger } from '../../shared/logging';
import { assembleAssistant } from '../../turn';
import { InProcessChannel } from '..';
import { runTerminalChat } from '.';

/** Reads `--conversation <id>` (or `--conversation=<id>`). */
function conversationArgument(args: readonly string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--conversation' || arg.startsWith('--conversation='));
  if (index < 0) return undefined;
  const arg = args[index] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  if (!value || !/^[\w-]{1,100}$/.test(value)) {
    throw new ConfigError('--conversation', 'must be an id of letters, digits, "_" or "-"');
  }
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const conversationId = conversationArgument(process.argv.slice(2));
  const logFile = path.join(config.storage.dataDir, 'terminal-chat.log');
  const logger = createLogger(config.log.level, {
    destination: pino.destination({ dest: logFile, mkdir: true, sync: true }),
    secrets: secretValues(config),
  });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.stdout.write(`Starting… (logs: ${logFile})\n`);
  const assistant = await assembleAssistant(config, { logger });
  try {
    await runTerminalChat({
      channel: new InProcessChannel({ app: assistant.app, channelId: 'terminal' }),
      input: process.stdin,
      output: process.stdout,
      conversationId,
      userName: os.userInfo().username,
      banner: `Model: ${describeModel(config.model)}.`,
      logger,
    });
  } finally {
    await assistant.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      error instanceof ConfigError
        ? `Configuration error: ${error.message}\n`
        : `The terminal chat failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
