import { STREAM_LIMITS } from './streamLimits';

/** A source the answer may cite as `[position]`, e.g. a knowledge-base passage found by a tool. */
export interface CitationSource {
  position: number;
  title: string;
  text: string;
  url?: string;
}

/** A Teams citation (`https://schema.org/Claim`) as it goes on the wire. */
export interface ClientCitation {
  '@type': 'Claim';
  position: number;
  appearance: {
    '@type': 'DigitalDocument';
    name: string;
    abstract: string;
    url?: string;
  };
}

const MARKER = /\[(?:doc)?(\d{1,3})\]/gi;

/** Rewrites Azure "on your data" style `[docN]` markers to the `[N]` form Teams expects. */
export function normalizeCitationMarkers(text: string): string {
  return text.replace(/\[doc(\d{1,3})\]/gi, '[$1]');
}

/** The distinct citation positions that `text` refers to with `[n]` or `[docN]`, in order of first use. */
export function citedPositions(text: string): number[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(MARKER)) seen.add(Number(match[1]));
  return [...seen];
}

/**
 * The Teams citations for the markers in `text` that match a known source: deduplicated, in order of first
 * use, at most 20, names and abstracts cut to Teams' limits, and `url` kept.
 */
export function citationsForText(text: string, sources: readonly CitationSource[]): ClientCitation[] {
  const byPosition = new Map(sources.map((source) => [source.position, source]));
  const citations: ClientCitation[] = [];
  for (const position of citedPositions(text)) {
    const source = byPosition.get(position);
    if (!source) continue;
    citations.push({
      '@type': 'Claim',
      position,
      appearance: {
        '@type': 'DigitalDocument',
        name: truncate(source.title, STREAM_LIMITS.maxCitationTitleChars),
        abstract: truncate(source.text, STREAM_LIMITS.maxCitationAbstractChars),
        ...(source.url ? { url: source.url } : {}),
      },
    });
    if (citations.length === STREAM_LIMITS.maxCitations) break;
  }
  return citations;
}

/** Cuts `text` to at most `max` characters on a word boundary where possible, ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut}…`;
}
