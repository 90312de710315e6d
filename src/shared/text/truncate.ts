/** Appended to text that was cut. */
const ELLIPSIS = '…';

/** A cut prefers the last word boundary when it keeps at least this share of the allowed length. */
const WORD_BOUNDARY_MIN_SHARE = 0.6;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Collapses every run of whitespace (newlines included) into one space and trims the ends. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Shortens text to at most `max` UTF-16 code units (the unit Teams counts), ending with '…' when it was cut.
 * Cuts only between grapheme clusters, so no emoji or surrogate pair is split, and at a word boundary when
 * one is near the end.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const budget = max - ELLIPSIS.length;
  let kept = '';
  let cutInsideWord = false;
  // Only the first `max` code units (plus one cluster to see where the cut falls) can matter.
  for (const { segment } of graphemes.segment(text.slice(0, max + 16))) {
    if (kept.length + segment.length > budget) {
      cutInsideWord = !/^\s/.test(segment);
      break;
    }
    kept += segment;
  }
  const lastSpace = kept.lastIndexOf(' ');
  if (cutInsideWord && lastSpace >= budget * WORD_BOUNDARY_MIN_SHARE) {
    kept = kept.slice(0, lastSpace);
  }
  return kept.replace(/[\s,;:.\-–—]+$/u, '') + ELLIPSIS;
}
