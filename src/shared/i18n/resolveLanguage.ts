import type { Language } from './catalogues';

/** The supported languages, English (the fallback) first. */
export const SUPPORTED_LANGUAGES: readonly Language[] = ['en', 'de', 'fr', 'es'];

function isLanguage(value: string): value is Language {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/**
 * Picks the supported language for a BCP 47 locale (case-insensitive, region ignored), falling back to English.
 * Also accepts the POSIX form with an underscore ('de_DE') that some clients send.
 */
export function resolveLanguage(locale: string | undefined | null): Language {
  if (typeof locale !== 'string') {
    return 'en';
  }
  const primary = locale.trim().split(/[-_]/, 1)[0]?.toLowerCase() ?? '';
  return isLanguage(primary) ? primary : 'en';
}
