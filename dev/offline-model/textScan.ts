import { countWork } from './workMeter';

/**
 * Character-level scanning helpers for the offline model's parsing: single passes that count the characters
 * they visit (see workMeter.ts), used where a regular expression would search the same characters again from
 * every starting position.
 */

/** Whether a UTF-16 code unit is whitespace as `\s` and `String.prototype.trim` see it. */
export function isSpaceCode(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Whether a UTF-16 code unit ends a line for `^` and `$` in multiline mode (`\n`, `\r`, U+2028, U+2029). */
export function isLineTerminatorCode(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** Whether `text[index]` is whitespace (false outside the text). */
export function isSpaceAt(text: string, index: number): boolean {
  return index >= 0 && index < text.length && isSpaceCode(text.charCodeAt(index));
}

/**
 * The position of the next `char` at or after `from` (-1 if none), remembering the last answer so that
 * queries with increasing `from` visit every character at most once in all.
 */
export class NextOccurrence {
  private from = 0;
  private found = -2;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  at(from: number): number {
    if (this.found === -1 && from >= this.from) return -1;
    if (this.found >= from && from >= this.from) return this.found;
    const found = this.text.indexOf(this.char, from);
    countWork(Math.max(0, (found === -1 ? this.text.length : found) - from) + 1);
    this.from = from;
    this.found = found;
    return found;
  }
}

/** Whether the ASCII letters of `text` from `at` spell `word` (lower case), as the `i` flag compares them. */
export function asciiEqualsIgnoreCase(text: string, at: number, word: string): boolean {
  if (at < 0 || at + word.length > text.length) return false;
  countWork(word.length);
  for (let index = 0; index < word.length; index += 1) {
    let code = text.charCodeAt(at + index);
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code !== word.charCodeAt(index)) return false;
  }
  return true;
}

/** The end of the run of characters in `set` that starts at `from` (counting what it visits). */
export function runEnd(text: string, from: number, set: ReadonlySet<string>): number {
  let end = from;
  while (end < text.length && set.has(text.charAt(end))) end += 1;
  countWork(end - from + 1);
  return end;
}

/** The start of the run of characters in `set` that ends at `end` (exclusive), not before `min`. */
export function runStart(text: string, end: number, set: ReadonlySet<string>, min = 0): number {
  let start = end;
  while (start > min && set.has(text.charAt(start - 1))) start -= 1;
  countWork(end - start + 1);
  return start;
}
