import { convert, type FormatCallback } from 'html-to-text';

/** Writes h1-h6 as markdown headings ('#' per level) so the splitter follows them. */
function markdownHeading(level: number): FormatCallback {
  return (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addInline(`${'#'.repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };
}

const LEVELS = [1, 2, 3, 4, 5, 6];

/**
 * Converts HTML to markdown-like text: h1-h6 become '#' headings, paragraphs are separated by blank
 * lines, links keep only their text; scripts, styles and images are dropped; no line wrapping.
 */
export function htmlToMarkdown(html: string): string {
  return convert(html, {
    wordwrap: false,
    formatters: Object.fromEntries(LEVELS.map((level) => [`heading${level}`, markdownHeading(level)])),
    selectors: [
      ...LEVELS.map((level) => ({ selector: `h${level}`, format: `heading${level}` })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'head', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
    ],
  }).trim();
}
