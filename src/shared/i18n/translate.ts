import { catalogues, en, type MessageKey } from './catalogues';
import { fillPlaceholders } from './placeholders';
import { resolveLanguage } from './resolveLanguage';

/** True when `key` is a message key, for callers that build keys at run time (e.g. `tool.${toolName}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The localized string for the key with `{name}` placeholders filled from params. Unknown placeholders stay visible. */
export function translate(
  locale: string | undefined | null,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const message = catalogues[resolveLanguage(locale)][key];
  return params === undefined ? message : fillPlaceholders(message, params);
}
