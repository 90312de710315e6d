import { metered } from './workMeter';

/**
 * A word (letters and digits, with inner apostrophes) or a single other non-space character, each with the
 * whitespace before it, or the trailing whitespace at the very end; together the matches cover every
 * character, so joining the tokens gives back the text exactly.
 */
const TOKEN = metered(/\s*(?:[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_])|\s+$/gu);

/**
 * Splits text into the offline model's "tokens": words and punctuation pieces, each carrying the whitespace
 * before it. `tokenize(text).join('') === text` for every string.
 */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}
