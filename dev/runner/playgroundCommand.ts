import path from 'node:path';
import { DevRunnerError } from './devRunnerError';

/** A program to spawn: executable, arguments and the complete environment. */
export interface ChildCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** How to run the Agents Playground. */
export interface PlaygroundCommandOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  appEndpoint: string;
  /** 0 lets the playground pick a free port (it prints `Listening on <port>`). */
  port: number;
  /** Where the playground writes its console log (it writes almost nothing to stdout). */
  logFile: string;
  /** The environment to extend; defaults to this process's. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Defaults to `msteams`. */
  channelId?: string;
}

/** The package's CLI script, run with this Node binary rather than through the .bin shell shim. */
const PLAYGROUND_CLI = '@microsoft/m365agentsplayground/cli.js';

/**
 * Environment that keeps the playground offline. Both telemetry switches are needed for zero outbound
 * connections; `TEAMSAPPTESTER_BROWSER=none` stops it opening a browser.
 */
export const PLAYGROUND_OFFLINE_ENV: Readonly<Record<string, string>> = {
  TEAMSAPPTESTER_BROWSER: 'none',
  APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
};

/**
 * The command line that starts the Agents Playground offline, as a local Teams client (`--channel-id msteams`),
 * listening on loopback only (see loopbackOnly.ts).
 * @throws DevRunnerError when the playground package is not installed (it is a devDependency).
 */
export function playgroundCommand(options: PlaygroundCommandOptions): ChildCommand {
  let cli: string;
  try {
    cli = require.resolve(PLAYGROUND_CLI);
  } catch (error) {
    throw new DevRunnerError(
      'the Agents Playground (@microsoft/m365agentsplayground) is not installed; run `npm install` (it is a devDependency)',
      { cause: error },
    );
  }
  return {
    command: process.execPath,
    args: [
      '--require',
      path.join(__dirname, 'loopbackOnly.js'),
      cli,
      'start',
      '--app-endpoint',
      options.appEndpoint,
      '--channel-id',
      options.channelId ?? 'msteams',
      '--port',
      String(options.port),
      '--disable-telemetry',
    ],
    env: {
      ...(options.baseEnv ?? process.env),
      ...PLAYGROUND_OFFLINE_ENV,
      M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
    },
  };
}

/** Reads the port from the playground's `Listening on <port>` line; undefined for any other line. */
export function parseListeningPort(line: string): number | undefined {
  const match = /^Listening on (\d+)\s*$/.exec(line.trim());
  return match ? Number(match[1]) : undefined;
}
