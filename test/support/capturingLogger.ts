import pino from 'pino';
import { createLogger } from '../../src/shared/logging';

/** Options of {@link capturingLogger}. */
export interface CapturingLoggerOptions {
  /** The lowest level written; default `info`. */
  level?: pino.LevelWithSilent;
  /**
   * Build the product's logger (`createLogger`: redaction, secret scrubbing, the `service` field) instead of a
   * bare pino logger. Implied by `secrets`.
   */
  product?: boolean;
  /** Secret values the product logger must scrub (see `createLogger`); implies `product`. */
  secrets?: readonly string[];
  /** Keeps only the lines for which this holds (e.g. errors only, to keep memory flat in long runs). */
  keep?: (line: Record<string, unknown>) => boolean;
}

/** What {@link capturingLogger} returns: the logger and, live, what it wrote. */
export interface CapturedLog {
  logger: pino.Logger;
  /** Every kept line, parsed. */
  lines: Array<Record<string, unknown>>;
  /** Every kept line exactly as written (JSON text ending in a newline), same order as `lines`. */
  raw: string[];
  /** Everything kept, as one string: for checks that must see the written text (e.g. no secret in it). */
  text: () => string;
}

/**
 * A logger whose JSON lines the test can read, written synchronously into memory (so a line is there as
 * soon as the log call returns, fake timers or not). `capturingLogger('warn')` is short for
 * `capturingLogger({ level: 'warn' })`.
 */
export function capturingLogger(
  levelOrOptions: pino.LevelWithSilent | CapturingLoggerOptions = {},
): CapturedLog {
  const options = typeof levelOrOptions === 'string' ? { level: levelOrOptions } : levelOrOptions;
  const level = options.level ?? 'info';
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = {
    write(chunk: string): void {
      // pino writes one line per call; split anyway so a batched write cannot break the parse.
      for (const text of chunk.split(/(?<=\n)/)) {
        if (text.trim() === '') continue;
        const line = JSON.parse(text) as Record<string, unknown>;
        if (options.keep && !options.keep(line)) continue;
        lines.push(line);
        raw.push(text);
      }
    },
  };
  const logger =
    options.product || options.secrets
      ? createLogger(level, { secrets: options.secrets, destination })
      : pino({ level }, destination);
  return { logger, lines, raw, text: () => raw.join('') };
}
