import { isMessageKey, translate } from '../shared/i18n';
import { collapseWhitespace, truncate } from '../shared/text';
import type { ConfirmationItem, ConfirmationPrompt } from '../surfaces';
import type { ItemChange } from '../tools';
import { CONFIRMATION_TTL_MS, type PendingConfirmation } from './pendingConfirmations';

/** Values longer than this (a description) are shortened on the card; Confirm still applies the whole value. */
const MAX_SHOWN_VALUE_CHARS = 200;
/** Titles longer than this are shortened in an item's heading. */
const MAX_SHOWN_TITLE_CHARS = 120;

/** The title of a confirmation for `tool` with `count` items, in the user's language. */
export function confirmationTitle(locale: string | undefined, tool: string, count: number): string {
  const key = `confirm.title.${tool}`;
  return isMessageKey(key) ? translate(locale, key, { count: String(count) }) : tool;
}

/** A value as a confirmation shows it: on one line, shortened, "(none)" when empty. */
function shownValue(locale: string | undefined, value: string | null): string {
  const text = collapseWhitespace(value ?? '');
  return text === '' ? translate(locale, 'confirm.empty') : truncate(text, MAX_SHOWN_VALUE_CHARS);
}

/** 'WI-3 "Rotate keys"', with `note` after a colon when given. */
function headingOf(change: ItemChange, note?: string): string {
  const heading = `${change.id} "${truncate(collapseWhitespace(change.title), MAX_SHOWN_TITLE_CHARS)}"`;
  return note ? `${heading}: ${note}` : heading;
}

/**
 * The items of a change as a confirmation shows them, localized: per item a heading (with `noteOf`'s note,
 * e.g. how applying it went) and per field its label and its values before and after.
 */
export function confirmationItems(
  locale: string | undefined,
  changes: readonly ItemChange[],
  noteOf?: (change: ItemChange, index: number) => string | undefined,
): ConfirmationItem[] {
  return changes.map((change, index) => ({
    heading: headingOf(change, noteOf?.(change, index)),
    fields: change.fields.map(({ field, before, after }) => {
      const key = `confirm.field.${field}`;
      return {
        label: isMessageKey(key) ? translate(locale, key) : field,
        before: shownValue(locale, before),
        after: shownValue(locale, after),
      };
    }),
  }));
}

/** A pending change as every surface shows it (the Teams card is built from the same prompt). */
export function confirmationPrompt(
  pending: PendingConfirmation,
  locale: string | undefined,
): ConfirmationPrompt {
  return {
    confirmationId: pending.id,
    title: confirmationTitle(locale, pending.tool, pending.changes.length),
    intro: translate(locale, 'confirm.intro', { minutes: String(CONFIRMATION_TTL_MS / 60000) }),
    items: confirmationItems(locale, pending.changes),
    confirmLabel: translate(locale, 'confirm.button.confirm'),
    cancelLabel: translate(locale, 'confirm.button.cancel'),
  };
}
