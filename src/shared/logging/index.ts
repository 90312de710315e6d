export { createLogger, type Logger, type LoggerOptions } from './logger';
export { REDACT_PATHS, REDACTED, scrubLogObject, scrubText } from './redaction';
