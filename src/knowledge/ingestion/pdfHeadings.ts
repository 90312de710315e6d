/**
 * pdf-parse 2.x returns a PDF's text line by line, without font sizes or styles (its public API exposes
 * none), so headings are recognised by conservative layout heuristics. A line is a heading when it is
 * short (at most 80 characters), does not end like a sentence or a wrapped fragment (no final '.', ',',
 * ';', ':', '!', '?', no trailing 'and', 'of', 'the'...), starts where a paragraph may start (first line,
 * or after a line that ended a sentence or was itself a heading), is followed by body text, and is one of:
 * - a numbered heading, '2.1 Remote access' (level from the number of parts: '2' → ##, '2.1' → ###);
 * - an ALL CAPS line of at most 10 words (##);
 * - a short capitalised line of at most 8 words without commas, followed by a longer line that starts with
 *   a capital or a digit (##).
 * The first line, when it is a heading, becomes the document title (#). Everything else stays text.
 */
export function markPdfHeadings(text: string): string {
  const lines = text.split('\n').map((line) => line.trim());
  const out: string[] = [];
  let previous: { text: string; heading: boolean } | undefined;
  lines.forEach((line, index) => {
    if (line === '') {
      out.push(line);
      return;
    }
    const next = lines.slice(index + 1).find((candidate) => candidate !== '');
    const level = headingLevel(line, previous, next);
    if (level === undefined) {
      out.push(escapeHeading(line));
    } else {
      const isTitle = previous === undefined && !NUMBERED.test(line);
      out.push('', `${'#'.repeat(isTitle ? 1 : level)} ${line}`, '');
    }
    previous = { text: line, heading: level !== undefined };
  });
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NUMBERED = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\p{Lu}.*)$/u;
/** A heading does not end with these: the line is a wrapped fragment of a sentence. */
const CONNECTORS = new Set(
  'a an and as at by for from in into of on or the to with that which who is are was were be'.split(' '),
);

function headingLevel(
  line: string,
  previous: { text: string; heading: boolean } | undefined,
  next: string | undefined,
): number | undefined {
  if (next === undefined || line.length > 80 || /[.,;:!?\-–]$/.test(line)) return undefined;
  const words = line.split(/\s+/);
  const lastWord = words[words.length - 1].toLowerCase();
  if (CONNECTORS.has(lastWord) || /^page\s+\d+/i.test(line)) return undefined;
  const startsParagraph = previous === undefined || previous.heading || /[.!?:]["'”’)]?$/.test(previous.text);
  if (!startsParagraph) return undefined;

  const numbered = NUMBERED.exec(line);
  if (numbered) {
    return words.length <= 12 ? Math.min(6, 1 + numbered[1].split('.').length) : undefined;
  }
  const letters = line.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
    return words.length <= 10 ? 2 : undefined;
  }
  const capitalised = /^\p{Lu}/u.test(line);
  const bodyFollows = /^[\p{Lu}\p{N}]/u.test(next) && next.length > line.length;
  return capitalised && bodyFollows && words.length <= 8 && !line.includes(',') ? 2 : undefined;
}

/** A body line starting with '#' is text, not a heading. */
function escapeHeading(line: string): string {
  return line.replace(/^#/, '\\#');
}
