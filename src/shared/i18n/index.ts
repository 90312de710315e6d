/**
 * Localized prepared strings (English, German, French, Spanish) chosen from the Teams `activity.locale`.
 */
export type { Language, MessageKey } from './catalogues';
export { resolveLanguage, SUPPORTED_LANGUAGES } from './resolveLanguage';
export { isMessageKey, translate } from './translate';
