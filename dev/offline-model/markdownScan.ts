import { isLineTerminatorCode, isSpaceCode, NextOccurrence } from './textScan';
import { countWork } from './workMeter';

/**
 * One-pass replacements behind `plainTextOfMarkdown`. Each does what a global, multiline replacement with
 * the pattern named in its comment does, but visits every character a bounded number of times: those
 * patterns, on an unclosed bracket or fence or a long run of blank lines, searched the rest of the text
 * again from every later starting position.
 */

/** ```` /```[\s\S]*?```/g ```` → `replacement`: each fence up to the next fence. */
export function replaceFences(text: string, replacement: string): string {
  const parts: string[] = [];
  let copied = 0;
  for (;;) {
    const open = text.indexOf('```', copied);
    const close = open < 0 ? -1 : text.indexOf('```', open + 3);
    countWork((close < 0 ? text.length : close + 3) - copied + 1);
    // Without a closing fence after this one, no later fence has one either.
    if (close < 0) break;
    parts.push(text.slice(copied, open), replacement);
    copied = close + 3;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Links replaced by their label: `\[([^\]]+)\]\([^)]*\)` → `$1`, or for images (`image`)
 * `!\[([^\]]*)\]\([^)]*\)` → `$1`. The label ends at the first `]` and the target at the first `)` after
 * it, so each opening bracket has one candidate, found by searches that only move forward.
 */
export function replaceLinks(text: string, image: boolean): string {
  const opener = image ? '![' : '[';
  const minLabel = image ? 0 : 1;
  const closeBracket = new NextOccurrence(text, ']');
  const closeParen = new NextOccurrence(text, ')');
  const parts: string[] = [];
  let copied = 0;
  let from = 0;
  for (;;) {
    const start = text.indexOf(opener, from);
    countWork((start < 0 ? text.length : start) - from + 1);
    if (start < 0) break;
    const labelStart = start + opener.length;
    const labelEnd = closeBracket.at(labelStart);
    // No `]` from here on: no later link either.
    if (labelEnd < 0) break;
    if (labelEnd - labelStart < minLabel || text.charAt(labelEnd + 1) !== '(') {
      from = start + 1;
      continue;
    }
    const targetEnd = closeParen.at(labelEnd + 2);
    // No `)` after this label: none after any later label either.
    if (targetEnd < 0) break;
    parts.push(text.slice(copied, start), text.slice(labelStart, labelEnd));
    copied = targetEnd + 1;
    from = copied;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Whether a line starts at `index` for `^` in multiline mode. */
function isLineStart(text: string, index: number): boolean {
  return index === 0 || (index <= text.length && isLineTerminatorCode(text.charCodeAt(index - 1)));
}

/** The first line start at or after `from` (text.length + 1 when there is none). */
function nextLineStart(text: string, from: number): number {
  let index = from;
  while (index <= text.length && !isLineStart(text, index)) index += 1;
  countWork(index - from + 1);
  return index;
}

/** The end of the whitespace run starting at `from`. */
function spaceRunEnd(text: string, from: number): number {
  let index = from;
  while (index < text.length && isSpaceCode(text.charCodeAt(index))) index += 1;
  countWork(index - from + 1);
  return index;
}

/**
 * `/^\s*MARKER/gm` → '' for a sticky `marker` whose match cannot begin with whitespace (a list marker, a
 * quote mark): the marker can then only stand where the whitespace after the line start ends, and line
 * starts inside that same whitespace end there too, so each is tried once.
 */
export function removeAtLineStarts(text: string, marker: RegExp): string {
  const parts: string[] = [];
  let copied = 0;
  let lineStart = nextLineStart(text, 0);
  while (lineStart <= text.length) {
    const markerAt = spaceRunEnd(text, lineStart);
    marker.lastIndex = markerAt;
    const found = marker.exec(text);
    if (found) {
      parts.push(text.slice(copied, lineStart));
      copied = markerAt + found[0].length;
      lineStart = nextLineStart(text, copied);
    } else {
      lineStart = nextLineStart(text, markerAt + 1);
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Whether a code unit is in `[-: ]`. */
function isRuleCode(code: number): boolean {
  return code === 0x2d || code === 0x3a || code === 0x20;
}

/**
 * `/^\s*[-: ]{3,}\s*$/gm` → '': table separator and rule lines. The pattern's three runs overlap (spaces
 * belong to all of them, and `\s` crosses lines), so on a long line of spaces it tried every way to split
 * it; this reads the same match from precomputed run ends. For a line start L, the pattern takes the
 * longest `\s` run to e, then tries rule runs starting at a = e, e-1, ... L; for each, ends b from the end
 * of the rule run down to a + 3; for each, the last `$` position within the `\s` run from b. The first
 * success is the match.
 */
export function removeSeparatorLines(text: string): string {
  const n = text.length;
  countWork(n + 1);
  // spaceEnd[i]: end of the \s run from i; ruleEnd[i]: end of the [-: ] run from i;
  // lastDollar[i]: the last `$` position (the end, or before a line terminator) within [i, spaceEnd[i]];
  // lastGood[i]: the largest b <= i that has such a position (-1 when none).
  const spaceEnd = new Int32Array(n + 1);
  const ruleEnd = new Int32Array(n + 1);
  const lastDollar = new Int32Array(n + 1);
  spaceEnd[n] = n;
  ruleEnd[n] = n;
  lastDollar[n] = n;
  for (let index = n - 1; index >= 0; index -= 1) {
    const code = text.charCodeAt(index);
    const space = isSpaceCode(code);
    spaceEnd[index] = space ? (spaceEnd[index + 1] ?? n) : index;
    ruleEnd[index] = isRuleCode(code) ? (ruleEnd[index + 1] ?? n) : index;
    const later = lastDollar[index + 1] ?? -1;
    lastDollar[index] = !space ? -1 : later >= 0 ? later : isLineTerminatorCode(code) ? index : -1;
  }
  const lastGood = new Int32Array(n + 1);
  for (let index = 0; index <= n; index += 1) {
    lastGood[index] = (lastDollar[index] ?? -1) >= 0 ? index : index > 0 ? (lastGood[index - 1] ?? -1) : -1;
  }

  const parts: string[] = [];
  let copied = 0;
  let lineStart = nextLineStart(text, 0);
  while (lineStart <= n) {
    const runEnd = spaceEnd[lineStart] ?? n;
    const matchEnd = separatorMatchEnd(lineStart, runEnd, ruleEnd, lastDollar, lastGood);
    if (matchEnd >= 0) {
      parts.push(text.slice(copied, lineStart));
      copied = matchEnd;
      lineStart = nextLineStart(text, matchEnd);
    } else {
      // Line starts inside the same whitespace run have the same choices, so they fail too.
      lineStart = nextLineStart(text, runEnd + 1);
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Where the separator pattern's match from `lineStart` ends, or -1 (see removeSeparatorLines). */
function separatorMatchEnd(
  lineStart: number,
  runEnd: number,
  ruleEnd: Int32Array,
  lastDollar: Int32Array,
  lastGood: Int32Array,
): number {
  countWork(runEnd - lineStart + 1);
  for (let start = runEnd; start >= lineStart; start -= 1) {
    const end = ruleEnd[start] ?? start;
    if (end - start < 3) continue;
    const b = lastGood[end] ?? -1;
    if (b >= start + 3) return lastDollar[b] ?? -1;
  }
  return -1;
}
