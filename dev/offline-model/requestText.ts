/**
 * Shared pieces for reading work item requests out of a user's message: the nouns that mean "work item",
 * quoted text, people's names, and cutting recognised clauses out of the message.
 */

/** The nouns users use for a work item (singular or plural). */
export const WORK_ITEM_NOUN = String.raw`(?:work[\s-]?items?|tasks?|tickets?|bugs?|issues?|to-?dos?)`;

/** A work item id as users type it ("WI-12", "wi-12"). */
export const WORK_ITEM_ID = /\bWI-(\d+)\b/i;

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
  return /^\s*(?:how\s+(?:do|does|can|could|should|would|to|is|are)|where|why|when|what(?:'s|\s+is|\s+are)\s+the\s+(?:process|steps|way|policy)|can\s+i|could\s+i|should\s+i|is\s+it\s+possible)\b/i.test(
    text,
  );
}

/** A message with its quoted passages replaced by placeholders, so clause patterns do not look inside them. */
export interface MaskedText {
  text: string;
  quotes: string[];
}

const PLACEHOLDER = /\uE000(\d+)\uE000/g;

/** Replaces "double-quoted", “curly-quoted” and 'single-quoted' passages by numbered placeholders. */
export function maskQuotes(text: string): MaskedText {
  const quotes: string[] = [];
  const masked = text.replace(
    /"([^"]+)"|“([^”]+)”|(?<=^|\s)'([^']+)'(?=$|[\s,.;:!?])/g,
    (_whole, plain?: string, curly?: string, single?: string) => {
      quotes.push((plain ?? curly ?? single ?? '').trim());
      return `\uE000${quotes.length - 1}\uE000`;
    },
  );
  return { text: masked, quotes };
}

/** Puts the quoted passages back in place of their placeholders (without the quote marks). */
export function unmaskQuotes(text: string, quotes: readonly string[]): string {
  return text.replace(PLACEHOLDER, (_whole, index: string) => quotes[Number(index)] ?? '');
}

/** The index of the first placeholder in `text`, if there is one. */
export function firstPlaceholder(text: string): number | undefined {
  const match = /\uE000(\d+)\uE000/.exec(text);
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

const NAME_WORD = /^[\p{L}][\p{L}\p{N}'’._@-]*/u;

/**
 * Reads a person's name at the start of `text`: "me", an email address, or one or two words ("Dana",
 * "Dana Smith", "dana"). A second word is taken only when both are capitalised. Returns the name and how
 * many characters it used.
 */
export function readName(text: string): { name: string; length: number } | undefined {
  const first = NAME_WORD.exec(text);
  if (!first) return undefined;
  const firstWord = first[0].replace(/[.'’]+$/, '');
  if (firstWord.toLowerCase() === 'me') return { name: 'me', length: 2 };
  if (NOT_A_NAME.has(firstWord.toLowerCase())) return undefined;
  let name = firstWord;
  let length = firstWord.length;
  if (/^\p{Lu}/u.test(firstWord)) {
    const second = /^\s+(\p{Lu}[\p{Ll}'’-]+)/u.exec(text.slice(length));
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

/**
 * Finds "assign(ed) to NAME", "reassign WI-3 to NAME", "assignee: NAME" and (when `allowFor`) "for NAME"
 * with a capitalised name or "me". Returns the name and the clause span.
 */
export function findAssignee(text: string, allowFor: boolean): FoundClause<string> | undefined {
  const markers = [
    /(?:,\s*|\b)(?:and\s+)?(?:re)?assign(?:ed)?\s+(?:(?:it|this|that|them|WI-\d+)\s+)?to\s+/gi,
    /(?:,\s*|\b)(?:and\s+)?(?:set\s+)?(?:the\s+)?assignee\s+(?:of\s+WI-\d+\s+)?(?:to|:|=|as|is)\s*/gi,
  ];
  if (allowFor) markers.push(/(?:,\s*|\b)[Ff]or\s+(?=me\b|\p{Lu}\p{Ll})/gu);
  let best: FoundClause<string> | undefined;
  for (const marker of markers) {
    for (const match of text.matchAll(marker)) {
      const after = match.index + match[0].length;
      const name = readName(text.slice(after));
      if (!name) continue;
      if (!best || match.index < best.index) {
        best = { value: name.name, index: match.index, length: after + name.length - match.index };
      }
      break;
    }
  }
  return best;
}

/** Tidies an extracted title or text: spaces collapsed, wrapping punctuation and a trailing "please" removed. */
export function cleanPhrase(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s,;:.\-–—]+/, '')
    .replace(/[\s,;:.!?]+$/, '')
    .replace(/(?:[\s,;:]+(?:please|thanks|thank you))+$/i, '')
    .replace(/[\s,;:.!?\-–—]+$/, '')
    .replace(/\s+(?:and|with|,)$/i, '')
    .trim();
}

/** Upper-cases the first letter. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
