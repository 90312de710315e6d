import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { backendSettings, openBackend } from '../storage/backend';
import { type AppConfig, loadConfig } from '../config';
import { ConfigError } from '../shared/errors';
import { forgetUser, type ForgetCounts } from '../storage/retention';

/** How the command is called. */
export const FORGET_USAGE = 'usage: npm run forget -- --user <aadObjectId>';

/** What the command writes to and reads from; the process's own in normal use. */
export interface ForgetCommandIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Reads `--user <id>` from the arguments; a problem comes back as one line for stderr. */
export function parseForgetArguments(argv: readonly string[]): { userId: string } | { problem: string } {
  let values: { user?: string };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { user: { type: 'string' } }, strict: true }));
  } catch (error) {
    return { problem: `${error instanceof Error ? error.message : String(error)}; ${FORGET_USAGE}` };
  }
  const userId = values.user?.trim();
  if (!userId) return { problem: `--user needs the person's AAD object id; ${FORGET_USAGE}` };
  if (userId.length > 200 || /\s/.test(userId)) {
    return { problem: `--user "${userId}" is not a user id; ${FORGET_USAGE}` };
  }
  return { userId };
}

/** The counts, one line each, for people reading the terminal. */
export function renderForgetCounts(userId: string, counts: ForgetCounts): string[] {
  return [
    `Forgot user ${userId}:`,
    `  answers deleted:                       ${counts.answers}`,
    `  feedback deleted:                      ${counts.feedback}`,
    `  conversation state deleted (1:1 chats, user state): ${counts.stateItems}`,
    `  work items deleted (created in their 1:1 chat): ${counts.workItemsDeleted}`,
    `  work items anonymized (shared chats):  ${counts.workItemsAnonymized}`,
    `  conversation index entries deleted:    ${counts.conversationIndex}`,
  ];
}

/**
 * `npm run forget -- --user <aadObjectId>`: deletes one person's data from the bot's database, SQLite in
 * DATA_DIR or PostgreSQL at DATABASE_URL (see
 * `forgetUser`) and prints what it deleted. Returns the exit code: 0 done, 2 bad arguments or configuration,
 * 1 a storage failure.
 */
export async function runForgetCommand(argv: readonly string[], io: ForgetCommandIo): Promise<number> {
  const parsed = parseForgetArguments(argv);
  if ('problem' in parsed) {
    io.err(`forget: ${parsed.problem}`);
    return 2;
  }
  let storage: AppConfig['storage'];
  try {
    storage = loadConfig(io.env).storage;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`forget: configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (!storage.postgres && !fs.existsSync(storage.databaseFile)) {
    io.out(`Nothing to forget: there is no database at ${storage.databaseFile}.`);
    return 0;
  }
  try {
    const backend = await openBackend(backendSettings(storage));
    try {
      const counts = await forgetUser(parsed.userId, {
        state: backend.stateMaintenance,
        feedback: backend.feedback,
        workItems: backend.workItems,
        userConversations: backend.userConversations,
      });
      for (const line of renderForgetCounts(parsed.userId, counts)) io.out(line);
      return 0;
    } finally {
      await backend.close();
    }
  } catch (error) {
    io.err(`forget: failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  runForgetCommand(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`forget: failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
