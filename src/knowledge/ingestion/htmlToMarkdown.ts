import { convert, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';

/** Writes h1-h6 as markdown headings ('#' per level) so the splitter follows them. */
function markdownHeading(level: number): FormatCallback {
  return (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addInline(`${'#'.repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };
}

/**
 * Writes a `<pre>` block as a fenced code block, its whitespace kept: a `# comment` line in a code sample is
 * code, and the splitter ignores headings inside fences (real manuals' configuration examples start with such
 * lines; unfenced, they became section headings and document titles).
 */
const fencedCode: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral('```');
  builder.closeBlock({ trailingLineBreaks: 1 });
  builder.openBlock({ isPre: true, leadingLineBreaks: 1 });
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 1 });
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addLiteral('```');
  builder.closeBlock({ trailingLineBreaks: 2 });
};

const LEVELS = [1, 2, 3, 4, 5, 6];

const BODY_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: {
    ...Object.fromEntries(LEVELS.map((level) => [`heading${level}`, markdownHeading(level)])),
    fencedCode,
  },
  selectors: [
    ...LEVELS.map((level) => ({ selector: `h${level}`, format: `heading${level}` })),
    { selector: 'pre', format: 'fencedCode' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
  ],
};

/** Where the `<title>` is looked for: a document's head is at its start. */
const TITLE_SEARCH_CHARS = 64 * 1024;
const TITLE = /<title\b[^>]*>([^<]*)<\/title\s*>/i;
const H1 = /<h1[\s>]/i;

/** The text of the document's `<title>` (entities decoded, whitespace collapsed), or '' without one. */
function htmlTitle(html: string): string {
  const match = TITLE.exec(html.slice(0, TITLE_SEARCH_CHARS));
  if (!match) return '';
  return convert(match[1], { wordwrap: false }).replace(/\s+/g, ' ').trim();
}

/** Collapses case and whitespace, to compare a heading with the title. */
function comparable(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Converts HTML to markdown-like text: h1-h6 become '#' headings, `<pre>` blocks fenced code, paragraphs are
 * separated by blank lines, links keep only their text; scripts, styles and images are dropped; no line
 * wrapping. The title: the page's own `<h1>` when it has one (a `<title>` often carries the site's name too);
 * otherwise its `<title>` (generated manuals put the title there and start the body with navigation and an h2),
 * and the first heading, when it repeats it, is dropped; otherwise the first heading, as for markdown.
 */
export function htmlToMarkdown(html: string): string {
  const body = convert(html, BODY_OPTIONS).trim();
  const title = H1.test(html) ? '' : htmlTitle(html);
  if (title === '') return body;
  const lines = body.split('\n');
  const first = firstHeading(lines);
  if (first && comparable(first.text) === comparable(title)) lines.splice(first.index, 1);
  return `# ${title}\n\n${lines.join('\n').trim()}`.trim();
}

/** The first heading line outside code fences, if any. */
function firstHeading(lines: readonly string[]): { index: number; text: string } | undefined {
  let inFence = false;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6} (.*)$/.exec(line);
    if (heading) return { index, text: heading[1] };
  }
  return undefined;
}
