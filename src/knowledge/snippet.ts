import { stripInlineMarkdown } from './markdownPassages';

/** Snippets are at most this many characters long. */
export const SNIPPET_MAX_LENGTH = 300;

const ELLIPSIS = '…';

/**
 * Picks the sentence(s) of a passage that best match the search terms: the sentence matching the
 * most distinct terms (the earliest on a tie), followed by the next sentences while they fit in
 * `maxLength`. Falls back to the start of the passage when no sentence matches (e.g. the match was
 * in the title). Markdown markup is removed.
 */
export function bestSnippet(
  text: string,
  terms: readonly string[],
  maxLength: number = SNIPPET_MAX_LENGTH,
): string {
  const sentences = toSentences(text);
  if (sentences.length === 0) return '';
  const roots = terms.map(termRoot);
  let best = 0;
  let bestScore = -1;
  sentences.forEach((sentence, index) => {
    const score = matchScore(sentence, roots);
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });

  let snippet = sentences[best];
  if (snippet.length > maxLength) return truncateAround(snippet, roots, maxLength);
  for (let next = best + 1; next < sentences.length; next += 1) {
    const candidate = `${snippet} ${sentences[next]}`;
    if (candidate.length > maxLength) break;
    snippet = candidate;
  }
  return snippet;
}

/** Plain-text sentences of a markdown passage; list items and table rows count as sentences. */
function toSentences(text: string): string[] {
  return (
    toBlocks(text)
      .map((block) => stripInlineMarkdown(block))
      .filter((block) => block !== '')
      // A list item or table row without a full stop would run into the next one when sentences are joined.
      .map((block) => (/[.!?:;…]$/.test(block) ? block : `${block}.`))
      .flatMap((block) => block.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(])/u))
      .map((sentence) => sentence.trim())
      .filter((sentence) => sentence !== '')
  );
}

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}/;

/**
 * Groups the lines of a passage into blocks: a paragraph, a list item or a table row, with wrapped
 * continuation lines joined on, so a sentence that spans lines stays whole. Markup at the start of a
 * line (list markers, quote marks, table pipes) is removed; code fences and table rules are dropped.
 */
function toBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string | undefined;
  const flush = (): void => {
    if (current !== undefined) blocks.push(current);
    current = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || /^(```|~~~)/.test(line) || TABLE_RULE.test(line)) {
      flush();
    } else if (line.startsWith('|')) {
      flush();
      blocks.push(
        line
          .replace(/^\|\s*|\s*\|$/g, '')
          .split(/\s*\|\s*/)
          .join(' | '),
      );
    } else if (LIST_ITEM.test(line) || line.startsWith('>') || current === undefined) {
      flush();
      current = line.replace(LIST_ITEM, '').replace(/^>\s?/, '');
    } else {
      current += ` ${line}`;
    }
  }
  flush();
  return blocks;
}

/** A crude stem: enough to see that 'reimbursed' and 'reimbursement' are about the same thing. */
function termRoot(term: string): string {
  const root = term.replace(/(?:ments?|tions?|ings?|ed|es|s|ly)$/, '');
  return root.length >= 3 ? root : term;
}

function matchScore(sentence: string, roots: readonly string[]): number {
  const words = sentence.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  let distinct = 0;
  let total = 0;
  for (const root of roots) {
    const hits = words.filter((word) => word.startsWith(root)).length;
    if (hits > 0) distinct += 1;
    total += hits;
  }
  // Distinct terms matter most; repeated hits only break ties.
  return distinct * 100 + Math.min(total, 99);
}

/** Cuts a long sentence to `maxLength`, keeping the first matched word in view, on word boundaries. */
function truncateAround(sentence: string, roots: readonly string[], maxLength: number): string {
  const lower = sentence.toLowerCase();
  const firstHit = Math.min(
    ...roots
      .map((root) => lower.search(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(root)}`, 'u')))
      .filter((i) => i >= 0),
  );
  const start =
    Number.isFinite(firstHit) && firstHit > maxLength / 3 ? sentence.lastIndexOf(' ', firstHit - 40) + 1 : 0;
  const budget = maxLength - (start > 0 ? ELLIPSIS.length : 0) - ELLIPSIS.length;
  let end = start + budget;
  const space = sentence.lastIndexOf(' ', end);
  if (space > start + budget / 2) end = space;
  const body = sentence.slice(start, end).trim();
  return `${start > 0 ? ELLIPSIS : ''}${body}${end < sentence.length ? ELLIPSIS : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
