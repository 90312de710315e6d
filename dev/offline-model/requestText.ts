import { asciiEqualsIgnoreCase, isSpaceAt, NextOccurrence, runEnd, runStart } from './textScan';
import { countWork, metered } from './workMeter';

/**
 * Shared pieces for reading work item requests out of a user's message: the nouns that mean "work item",
 * quoted text, people's names, and cutting recognised clauses out of the message. Every pattern is metered
 * and none can search the same characters again from each starting position (see workMeter.ts).
 */

/** The nouns users use for a work item (singular or plural). */
export const WORK_ITEM_NOUN = String.raw`(?:work[\s-]?items?|tasks?|tickets?|bugs?|issues?|to-?dos?)`;

/** A work item id as users type it ("WI-12", "wi-12"). */
export const WORK_ITEM_ID = metered(/\bWI-(\d+)\b/i);

/** The canonical form of the first work item id in `text` ("wi-3" → "WI-3"), if any. */
export function findWorkItemId(text: string): string | undefined {
  const match = WORK_ITEM_ID.exec(text);
  return match ? `WI-${match[1]}` : undefined;
}

/**
 * Questions about how to do something ("How do I create a ticket?", "Can I open a bug for ...?") are
 * knowledge questions, not commands, even when they name a work item action.
 */
export function isHowToQuestion(text: string): boolean {
  return HOW_TO_QUESTION.test(text);
}

const HOW_TO_QUESTION = metered(
  /^\s*(?:how\s+(?:do|does|can|could|should|would|to|is|are)|where|why|when|what(?:'s|\s+is|\s+are)\s+the\s+(?:process|steps|way|policy)|can\s+i|could\s+i|should\s+i|is\s+it\s+possible)\b/i,
);

/** A message with its quoted passages replaced by placeholders, so clause patterns do not look inside them. */
export interface MaskedText {
  text: string;
  quotes: string[];
}

const PLACEHOLDER = metered(/\uE000(\d+)\uE000/g);
const FIRST_PLACEHOLDER = metered(/\uE000(\d+)\uE000/);

/** What may follow the closing mark of a 'single-quoted' passage (besides whitespace and the end). */
const AFTER_SINGLE_QUOTE = new Set([',', '.', ';', ':', '!', '?']);

/**
 * Replaces "double-quoted", “curly-quoted” and 'single-quoted' passages by numbered placeholders, reading
 * left to right like the pattern `"([^"]+)"|“([^”]+)”|(?<=^|\s)'([^']+)'(?=$|[\s,.;:!?])` with the g flag,
 * but in one pass: an opening mark without a closing one does not send a search to the end of the message
 * again for every later opening mark.
 */
export function maskQuotes(text: string): MaskedText {
  const quotes: string[] = [];
  const parts: string[] = [];
  const next = {
    '"': new NextOccurrence(text, '"'),
    '”': new NextOccurrence(text, '”'),
    "'": new NextOccurrence(text, "'"),
  };
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const close = closingQuote(text, index, next);
    if (close === undefined) {
      index += 1;
      continue;
    }
    quotes.push(text.slice(index + 1, close).trim());
    parts.push(text.slice(copied, index), `\uE000${quotes.length - 1}\uE000`);
    index = close + 1;
    copied = index;
  }
  countWork(text.length);
  parts.push(text.slice(copied));
  return { text: parts.join(''), quotes };
}

/** Where the quoted passage opening at `index` closes, if a passage opens there. */
function closingQuote(
  text: string,
  index: number,
  next: Record<'"' | '”' | "'", NextOccurrence>,
): number | undefined {
  const mark = text.charAt(index);
  // The passage holds at least one character, so the closing mark is not the next character.
  if (mark === '"' || mark === '“') {
    const close = next[mark === '"' ? '"' : '”'].at(index + 1);
    return close > index + 1 ? close : undefined;
  }
  if (mark !== "'" || (index > 0 && !isSpaceAt(text, index - 1))) return undefined;
  const close = next["'"].at(index + 1);
  if (close <= index + 1) return undefined;
  const after = close + 1;
  const closes =
    after === text.length || isSpaceAt(text, after) || AFTER_SINGLE_QUOTE.has(text.charAt(after));
  return closes ? close : undefined;
}

/** Puts the quoted passages back in place of their placeholders (without the quote marks). */
export function unmaskQuotes(text: string, quotes: readonly string[]): string {
  return text.replace(PLACEHOLDER, (_whole, index: string) => quotes[Number(index)] ?? '');
}

/** The index of the first placeholder in `text`, if there is one. */
export function firstPlaceholder(text: string): number | undefined {
  const match = FIRST_PLACEHOLDER.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Removes `length` characters at `index`, leaving one space so the words around do not join. */
export function cutSpan(text: string, index: number, length: number): string {
  return `${text.slice(0, index)} ${text.slice(index + length)}`;
}

/** Words that are capitalised but are not people ("for Monday", "for Christmas", "for The ..."). */
const NOT_A_NAME = new Set(
  (
    'the a an this that next last today tomorrow tonight everyone everybody all me us them it ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
    'august september october november december christmas easter q1 q2 q3 q4 due and with description ' +
    'status title please'
  ).split(' '),
);

const NAME_WORD = metered(/[\p{L}][\p{L}\p{N}'’._@-]*/uy);
const SECOND_NAME_WORD = metered(/\s+(\p{Lu}[\p{Ll}'’-]+)/uy);
const CAPITALISED = metered(/\p{Lu}/uy);
const NAME_END_PUNCTUATION = new Set(['.', "'", '’']);

/**
 * Reads a person's name at `at` in `text` (the start by default): "me", an email address, or one or two
 * words ("Dana", "Dana Smith", "dana"). A second word is taken only when both are capitalised. Returns the
 * name and how many characters it used. Reads in place: no copy of the rest of the message is made.
 */
export function readName(text: string, at = 0): { name: string; length: number } | undefined {
  NAME_WORD.lastIndex = at;
  const first = NAME_WORD.exec(text);
  if (!first) return undefined;
  // Trailing dots and apostrophes are punctuation, not part of the name ("Dana." → "Dana").
  const firstWord = first[0].slice(0, runStart(first[0], first[0].length, NAME_END_PUNCTUATION));
  if (firstWord.toLowerCase() === 'me') return { name: 'me', length: 2 };
  if (NOT_A_NAME.has(firstWord.toLowerCase())) return undefined;
  let name = firstWord;
  let length = firstWord.length;
  CAPITALISED.lastIndex = 0;
  if (CAPITALISED.test(firstWord)) {
    SECOND_NAME_WORD.lastIndex = at + length;
    const second = SECOND_NAME_WORD.exec(text);
    if (second?.[1] && !NOT_A_NAME.has(second[1].toLowerCase())) {
      name = `${name} ${second[1]}`;
      length += second[0].length;
    }
  }
  return { name, length };
}

/** A clause found in a message: the value it carries and the span to cut out of the message. */
export interface FoundClause<T> {
  value: T;
  index: number;
  length: number;
}

const ASSIGNEE_MARKERS = [
  metered(/(?:,\s*|\b)(?:and\s+)?(?:re)?assign(?:ed)?\s+(?:(?:it|this|that|them|WI-\d+)\s+)?to\s+/gi),
  metered(/(?:,\s*|\b)(?:and\s+)?(?:set\s+)?(?:the\s+)?assignee\s+(?:of\s+WI-\d+\s+)?(?:to|:|=|as|is)\s*/gi),
];
const FOR_MARKER = metered(/(?:,\s*|\b)[Ff]or\s+(?=me\b|\p{Lu}\p{Ll})/gu);

/**
 * Finds "assign(ed) to NAME", "reassign WI-3 to NAME", "assignee: NAME" and (when `allowFor`) "for NAME"
 * with a capitalised name or "me". Returns the name and the clause span.
 */
export function findAssignee(text: string, allowFor: boolean): FoundClause<string> | undefined {
  const markers = allowFor ? [...ASSIGNEE_MARKERS, FOR_MARKER] : ASSIGNEE_MARKERS;
  let best: FoundClause<string> | undefined;
  for (const marker of markers) {
    for (const match of text.matchAll(marker)) {
      const after = match.index + match[0].length;
      const name = readName(text, after);
      if (!name) continue;
      if (!best || match.index < best.index) {
        best = { value: name.name, index: match.index, length: after + name.length - match.index };
      }
      break;
    }
  }
  return best;
}

const SPACE_RUN = metered(/\s+/g);
const LEADING_PUNCTUATION = new Set([' ', ',', ';', ':', '.', '-', '–', '—']);
const TRAILING_PUNCTUATION = new Set([' ', ',', ';', ':', '.', '!', '?']);
const POLITE_SEPARATORS = new Set([' ', ',', ';', ':']);
const POLITE_WORDS = ['please', 'thanks', 'thank you'];
const TRAILING_PUNCTUATION_AND_DASHES = new Set([...TRAILING_PUNCTUATION, '-', '–', '—']);
const DANGLING_WORDS = ['and', 'with', ','];

/**
 * Tidies an extracted title or text: spaces collapsed, wrapping punctuation and a trailing "please" removed.
 * The same steps as the replacements `^[\s,;:.\-–—]+`, `[\s,;:.!?]+$`,
 * `(?:[\s,;:]+(?:please|thanks|thank you))+$` (i), `[\s,;:.!?\-–—]+$` and `\s+(?:and|with|,)$` (i) on the
 * collapsed text, done by moving two ends inward: a pattern anchored at the end only would try every
 * position of a long run of punctuation and scan the rest of the run from each.
 */
export function cleanPhrase(text: string): string {
  // After collapsing, the only whitespace left is single spaces.
  const collapsed = text.replace(SPACE_RUN, ' ').trim();
  countWork(collapsed.length);
  const start = runEnd(collapsed, 0, LEADING_PUNCTUATION);
  let end = runStart(collapsed, collapsed.length, TRAILING_PUNCTUATION, start);
  end = withoutPoliteEnding(collapsed, start, end);
  end = runStart(collapsed, end, TRAILING_PUNCTUATION_AND_DASHES, start);
  const dangling = DANGLING_WORDS.find(
    (word) =>
      end - word.length - 1 >= start &&
      collapsed.charAt(end - word.length - 1) === ' ' &&
      asciiEqualsIgnoreCase(collapsed, end - word.length, word),
  );
  if (dangling !== undefined) end -= dangling.length + 1;
  return collapsed.slice(start, end).trim();
}

/** `end` moved before any number of trailing ", please" / " thanks" / " thank you", each after a separator. */
function withoutPoliteEnding(text: string, start: number, end: number): number {
  for (;;) {
    // At least one separator must stand between `start` and the word.
    const word = POLITE_WORDS.find(
      (polite) => end - polite.length > start && asciiEqualsIgnoreCase(text, end - polite.length, polite),
    );
    if (word === undefined) return end;
    const wordStart = end - word.length;
    const separatorsStart = runStart(text, wordStart, POLITE_SEPARATORS, start);
    if (separatorsStart === wordStart) return end;
    end = separatorsStart;
  }
}

/** Upper-cases the first letter. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
