import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config';
import { REDACT_PATHS, REDACTED, scrubLogObject, scrubText } from './redaction';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /**
   * Secret values (keys, passwords, tokens from the configuration) that must never be written, wherever
   * they would appear: messages, fields, error messages and stacks.
   */
  secrets?: readonly string[];
  /** Where the JSON lines go; default stdout (a file when stdout is the terminal chat). */
  destination?: DestinationStream;
}

/**
 * The process logger: JSON lines, secrets removed. Known secret paths are redacted by pino, then every log
 * object is scrubbed deeply (errors included, see scrubLogObject) and the message text too.
 */
export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4);
  return pino(
    {
      level,
      base: { service: 'teams-stream-assistant' },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      // The log formatter below has already turned errors into scrubbed plain objects; keep them as they are.
      serializers: {
        err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value),
      },
      formatters: { log: (object) => scrubLogObject(object, secrets) },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg: unknown) =>
            typeof arg === 'string' ? scrubText(arg, secrets) : arg,
          );
          // Without a message pino writes the error's own message, past every formatter: give it the scrubbed one.
          const error = errorOf(scrubbed[0]);
          if (error && scrubbed.length === 1) scrubbed.push(scrubText(error.message, secrets));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

/** The error a log call is about: the first argument itself, or its `err` field. */
function errorOf(first: unknown): Error | undefined {
  if (first instanceof Error) return first;
  if (typeof first === 'object' && first !== null) {
    const err = (first as { err?: unknown }).err;
    if (err instanceof Error) return err;
  }
  return undefined;
}
