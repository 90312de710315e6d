/** Plain-text helpers shared by cards, citations and the offline model: whitespace and grapheme-safe cutting. */
export { collapseWhitespace, truncate } from './truncate';
