import { ConfigError } from '../../src/shared/errors';

/** The bot's port when PORT is not set (the Teams Toolkit convention). */
export const DEFAULT_BOT_PORT = 3978;
/** The Agents Playground's port when AGENTS_PLAYGROUND_PORT is not set (the playground's own default). */
export const DEFAULT_PLAYGROUND_PORT = 56150;
/**
 * The bot's interface when HOST is not set. The dev bot runs without BOT_ID, so it accepts anonymous
 * requests: it must not be reachable from other machines. (The bot itself defaults to the same address
 * without BOT_ID; the runner also needs it to know where to point the playground.)
 */
export const DEFAULT_DEV_BOT_HOST = '127.0.0.1';

/** What `npm run dev` starts, read from the environment. */
export interface DevSettings {
  botPort: number;
  botHost: string;
  playgroundPort: number;
}

/**
 * Reads the dev runner's settings: PORT (bot), HOST (bot interface), AGENTS_PLAYGROUND_PORT.
 * @throws ConfigError naming the variable when a port is not an integer in 1-65535.
 */
export function readDevSettings(env: NodeJS.ProcessEnv): DevSettings {
  return {
    botPort: readPort(env, 'PORT', DEFAULT_BOT_PORT),
    botHost: env.HOST?.trim() || DEFAULT_DEV_BOT_HOST,
    playgroundPort: readPort(env, 'AGENTS_PLAYGROUND_PORT', DEFAULT_PLAYGROUND_PORT),
  };
}

function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  // Port 0 ("any free port") is refused: the runner must know the ports to wait for and print them.
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(name, `must be a port number between 1 and 65535, got "${raw}"`);
  }
  return port;
}
