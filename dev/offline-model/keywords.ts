import { removeAtLineStarts, removeSeparatorLines, replaceFences, replaceLinks } from './markdownScan';
import { metered } from './workMeter';

/** Common English words that say nothing about the topic of a question. */
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most my ' +
    'myself no nor not now of off on once only or other our ours ourselves out over own same she should so ' +
    'some such than that the their theirs them themselves then there these they this those through to too ' +
    'under until up very was we were what when where which while who whom why will with would you your ' +
    'yours yourself yourselves please tell know need want get got let us also may might must shall ' +
    'thanks thank hi hello hey okay ok find show give explain say says said'
  ).split(' '),
);

/** Whether a lower-case word is one of the common words that say nothing about a topic. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * A crude stem so that "connecting", "connected" and "connects" meet at "connect": lower case, then
 * common English endings removed. Good enough to rank sentences; not a linguistic stemmer.
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && /(?:ches|shes|sses|xes)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

const KEYWORD = metered(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu);

/** The stems of the topic words of a text (stop words and one-letter words left out). */
export function keywordStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const word of text.toLowerCase().match(KEYWORD) ?? []) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    stems.add(stem(word));
  }
  return stems;
}

/** How many of `wanted` occur among the keyword stems of `text`. */
export function overlap(wanted: ReadonlySet<string>, text: string): number {
  let count = 0;
  for (const s of keywordStems(text)) if (wanted.has(s)) count += 1;
  return count;
}

const FENCE_REPLACEMENT = ' ';
/** A soft-wrapped line continues its paragraph; only a blank line or a new block starts a new sentence. */
const SOFT_LINE_BREAK = metered(
  /(?<!^[ \t]{0,3}#{1,6}[ \t][^\n]*|^[ \t]*)\n(?![ \t]*(?:\n|$|[-*+][ \t]|\d+[.)][ \t]|#|>|\|))[ \t]*/gm,
);
const HEADING_MARK = metered(/^\s{0,3}#{1,6}\s+/gm);
const LIST_MARK = metered(/(?:[-*+]|\d+[.)])\s+/y);
const QUOTE_MARK = metered(/>\s?/y);
const EMPHASIS = metered(/\*\*|__|(?<![\p{L}\p{N}])[*_](?=\S)|(?<=\S)[*_](?![\p{L}\p{N}])/gu);
const PIPE = metered(/\|/g);
const SPACES_AND_TABS = metered(/[ \t]+/g);

/**
 * Plain text from a Markdown passage: headings, list markers, emphasis and link targets removed, table pipes
 * turned into spaces. Line breaks are kept because they separate list items and headings. Linear in the
 * passage: the steps whose patterns could search the rest of the text again from every starting position
 * (fences, links, line-start markers, separator lines) are one-pass scanners (markdownScan.ts).
 */
export function plainTextOfMarkdown(markdown: string): string {
  let text = replaceFences(markdown, FENCE_REPLACEMENT);
  text = text.replace(SOFT_LINE_BREAK, ' ');
  text = replaceLinks(text, true);
  text = replaceLinks(text, false);
  text = text.replace(HEADING_MARK, '');
  text = removeAtLineStarts(text, LIST_MARK);
  text = removeAtLineStarts(text, QUOTE_MARK);
  text = text.replace(EMPHASIS, '').replace(PIPE, ' ');
  text = removeSeparatorLines(text);
  return text.replace(SPACES_AND_TABS, ' ');
}

const SENTENCE_BREAK = metered(/\n+|(?<=[.!?])\s+(?=["“(]?[\p{Lu}\p{N}])/u);

/** Splits plain text into sentences: at line breaks, and after . ! ? followed by a space and a capital or digit. */
export function sentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
