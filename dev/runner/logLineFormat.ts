/** pino's numeric levels and the names shown in the dev console. */
const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const ERROR_LEVEL = 50;
/** Fields every pino record has that add nothing in a dev console. */
const HIDDEN_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'v']);

/** A parsed JSON log record (one pino line). */
export type LogRecord = Record<string, unknown> & { level: number };

/** Parses a pino JSON line; undefined when the line is not one (plain text, a warning from Node, …). */
export function parseLogRecord(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { level?: unknown }).level === 'number'
    ) {
      return value as LogRecord;
    }
  } catch {
    // Not JSON after all: the caller shows the line as it is.
  }
  return undefined;
}

/**
 * Makes one output line readable for a person: a pino JSON record becomes
 * `INFO  message key=value …` (plus the stack lines of an error at ERROR level and above); any other line is
 * returned unchanged.
 */
export function formatLogLine(line: string): string[] {
  const record = parseLogRecord(line);
  if (!record) return [line];
  const level = LEVEL_NAMES[record.level] ?? `L${record.level}`;
  const parts = [level.padEnd(5)];
  if (typeof record.msg === 'string' && record.msg !== '') parts.push(record.msg);
  const stackLines: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (HIDDEN_FIELDS.has(key) || value === undefined) continue;
    if (key === 'err' && isErrorLike(value)) {
      parts.push(`err=${value.type ?? 'Error'}: ${value.message ?? ''}`);
      if (record.level >= ERROR_LEVEL && typeof value.stack === 'string') {
        stackLines.push(
          ...value.stack
            .split('\n')
            .slice(1)
            .map((frame) => `    ${frame.trim()}`),
        );
      }
      continue;
    }
    parts.push(`${key}=${formatValue(value)}`);
  }
  return [parts.join(' '), ...stackLines];
}

/** The `model` a bot's startup record names (the bot logs which model answers), if this line has one. */
export function modelNamedIn(line: string): string | undefined {
  const model = parseLogRecord(line)?.model;
  return typeof model === 'string' && model !== '' ? model : undefined;
}

function isErrorLike(value: unknown): value is { type?: string; message?: string; stack?: unknown } {
  return typeof value === 'object' && value !== null && 'message' in value;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
