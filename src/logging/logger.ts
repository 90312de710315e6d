import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

export type { Logger } from 'pino';

/**
 * The process logger: JSON lines on stdout (or `destination`, e.g. a file when stdout is the terminal chat),
 * secrets redacted.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'teams-stream-assistant' },
      redact: ['apiKey', 'appPassword', 'headers.authorization', '*.apiKey', '*.appPassword'],
    },
    destination,
  );
}
