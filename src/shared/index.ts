/**
 * The shared kernel every other folder may use, and that uses none of them: the error classes (`errors/`),
 * the redacting logger (`logging/`), the clock and retry delays (`time/`), the one retry loop (`retry/`), grapheme-safe text helpers
 * (`text/`), the localized user-facing strings (`i18n/`), per-key token-bucket rate limits (`rateLimit/`) and
 * this process's instance id (`process/`).
 * Each subfolder has its own public index; code imports the subfolder it needs.
 */
export * from './errors';
export * from './logging';
export * from './time';
export * from './retry';
export * from './text';
export * from './i18n';
export * from './rateLimit';
export * from './process';
