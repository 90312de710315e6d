import { STREAM_LIMITS } from './streamLimits';
import { collapseWhitespace, truncate } from '../shared/text';

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
        name: truncate(collapseWhitespace(source.title), STREAM_LIMITS.maxCitationTitleChars),
        abstract: truncate(collapseWhitespace(source.text), STREAM_LIMITS.maxCitationAbstractChars),
        ...(source.url ? { url: source.url } : {}),
      },
    });
    if (citations.length === STREAM_LIMITS.maxCitations) break;
  }
  return citations;
}
