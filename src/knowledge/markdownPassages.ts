/** A section of a markdown document, small enough to hand to the model as one source. */
export interface MarkdownPassage {
  /** The section path below the document title, e.g. 'Connecting > Troubleshooting'; '' before the first sub-heading. */
  heading: string;
  /** The section's markdown, trimmed. */
  text: string;
}

/** A markdown document split for indexing. */
export interface SplitDocument {
  /** The first `# ` heading, or the fallback title when there is none. */
  title: string;
  passages: MarkdownPassage[];
}

/** Passages are cut at paragraph boundaries to stay under about this many characters. */
export const PASSAGE_SIZE_CAP = 1200;

/**
 * When a section is cut into several passages, each one after the first starts with up to this many
 * characters from the end of the one before (whole sentences where they fit), so a fact that straddles a cut
 * can still be found and read in context. The overlap counts toward the cap.
 */
export const PASSAGE_OVERLAP = 200;

/** Separates the levels of a section path. */
export const HEADING_SEPARATOR = ' > ';

const HEADING = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^\s*(```|~~~)/;
const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Splits markdown into passages: one per section (headings inside code fences do not count), each
 * labelled with its heading path; sections longer than `cap` are cut at paragraph boundaries, and
 * paragraphs longer than `cap` at sentence, then word boundaries, each piece after the first starting with
 * an overlap from the end of the one before (see PASSAGE_OVERLAP). Empty sections produce no passage.
 */
export function splitMarkdown(
  markdown: string,
  fallbackTitle: string,
  cap: number = PASSAGE_SIZE_CAP,
): SplitDocument {
  const lines = markdown.replace(FRONT_MATTER, '').split(/\r?\n/);
  let title: string | undefined;
  const path: string[] = [];
  const sections: { heading: string; lines: string[] }[] = [{ heading: '', lines: [] }];
  let inFence = false;

  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (!match) {
      sections[sections.length - 1].lines.push(line);
      continue;
    }
    const level = match[1].length;
    const text = stripInlineMarkdown(match[2]);
    if (level === 1 && title === undefined) {
      title = text;
      continue;
    }
    // The title is level 1, so '##' is the first level of the path; a later '#' counts as '##'.
    const depth = Math.max(level, 2) - 2;
    path.length = Math.min(path.length, depth);
    path.push(text);
    sections.push({ heading: path.join(HEADING_SEPARATOR), lines: [] });
  }

  const passages: MarkdownPassage[] = [];
  for (const section of sections) {
    for (const chunk of chunkText(section.lines.join('\n').trim(), cap)) {
      passages.push({ heading: section.heading, text: chunk });
    }
  }
  return { title: title || fallbackTitle, passages };
}

/** Removes emphasis, code and link markup from a line of markdown, keeping the words. */
export function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g, '$2')
    .trim();
}

/**
 * Cuts text into pieces of at most `cap` characters, preferring paragraph, then sentence, then word breaks;
 * every piece after the first starts with the overlap from the end of the previous one and a blank line.
 */
function chunkText(text: string, cap: number): string[] {
  if (text === '') return [];
  if (text.length <= cap) return [text];
  const overlap = Math.min(PASSAGE_OVERLAP, Math.floor(cap / 5));
  const chunks = cutText(text, cap - overlap - OVERLAP_SEPARATOR.length);
  return chunks.map((chunk, index) =>
    index === 0 ? chunk : `${overlapTail(chunks[index - 1], overlap)}${OVERLAP_SEPARATOR}${chunk}`,
  );
}

const OVERLAP_SEPARATOR = '\n\n';

/**
 * The end of `text` to repeat at the start of the next passage: its last sentences that fit in `max`
 * characters, or, when even the last sentence is longer, its last words that fit.
 */
export function overlapTail(text: string, max: number): string {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).filter((sentence) => sentence.trim() !== '');
  let tail = '';
  for (let index = sentences.length - 1; index >= 0; index -= 1) {
    const candidate = tail === '' ? sentences[index].trim() : `${sentences[index].trim()} ${tail}`;
    if (candidate.length > max) break;
    tail = candidate;
  }
  if (tail !== '') return tail;
  const words = text.trim().split(/\s+/);
  for (let index = words.length - 1; index >= 0; index -= 1) {
    const candidate = tail === '' ? words[index] : `${words[index]} ${tail}`;
    if (candidate.length > max) break;
    tail = candidate;
  }
  return tail;
}

/** Cuts text into pieces of at most `cap` characters, preferring paragraph, then sentence, then word breaks. */
function cutText(text: string, cap: number): string[] {
  const pieces = text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .flatMap((paragraph) => (paragraph.length <= cap ? [paragraph] : splitLongParagraph(paragraph, cap)));
  return packPieces(pieces, cap, '\n\n');
}

function splitLongParagraph(paragraph: string, cap: number): string[] {
  const sentences = paragraph.split(/(?<=[.!?])\s+|\n/).filter((sentence) => sentence.trim() !== '');
  const pieces = sentences.flatMap((sentence) =>
    sentence.length <= cap ? [sentence] : splitAtWords(sentence, cap),
  );
  return packPieces(pieces, cap, ' ');
}

function splitAtWords(sentence: string, cap: number): string[] {
  const pieces: string[] = [];
  let rest = sentence.trim();
  while (rest.length > cap) {
    const space = rest.lastIndexOf(' ', cap);
    const cut = space > cap / 2 ? space : cap;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

/** Joins consecutive pieces with `separator` as long as the result stays within `cap`. */
function packPieces(pieces: string[], cap: number, separator: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current === '') current = piece;
    else if (current.length + separator.length + piece.length <= cap) current += separator + piece;
    else {
      chunks.push(current);
      current = piece;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}
