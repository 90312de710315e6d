import { de } from './de';
import { en, type MessageKey } from './en';
import { es } from './es';
import { fr } from './fr';

export type { MessageKey } from './en';
export { en } from './en';

/** A language the bot has prepared strings for. */
export type Language = 'en' | 'de' | 'fr' | 'es';

/** Every supported language's catalogue; English is the source of truth and the fallback. */
export const catalogues: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = {
  en,
  de,
  fr,
  es,
};
