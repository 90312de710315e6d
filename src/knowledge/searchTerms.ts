/** Words too common to say what a question is about (English), dropped from search queries. */
const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can cannot could did do does doing don done down during each either else ever every
  few for from further get gets got had has have having he her here hers herself him himself his how i if
  in into is it its itself just let like ll me might more most must my myself need needs no nor not now of
  off on once only or other our ours ourselves out over own please re same shall she should so some such
  tell than thank thanks that the their theirs them themselves then there these they this those through to
  too under until up us ve very want was way we were what whats when where which while who whom whose why
  will with would yes yet you your yours yourself yourselves hi hello hey im`.split(/\s+/),
);

/** At most this many distinct terms are searched for; the rest of a very long text is ignored. */
export const MAX_SEARCH_TERMS = 32;

/** Terms at least this long are also matched as prefixes ('deploy' finds 'deployments'). */
export const PREFIX_MIN_LENGTH = 4;

/**
 * The distinct, lower-cased content words of any user text, in order of first appearance: letters and
 * digits only, stop words and single letters dropped, at most MAX_SEARCH_TERMS.
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const match of text
    .normalize('NFKC')
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (seen.has(word) || STOP_WORDS.has(word) || (word.length < 2 && !/^\p{N}$/u.test(word))) continue;
    seen.add(word);
    terms.push(word);
    if (terms.length === MAX_SEARCH_TERMS) break;
  }
  return terms;
}

/**
 * Builds a safe FTS5 MATCH expression from search terms: each term a quoted string (so no FTS5
 * operator or column filter can be smuggled in), longer terms with prefix matching, all joined by OR
 * so BM25 ranks passages by how many and how rare the matched terms are.
 * @returns undefined when there are no terms (nothing to search for).
 */
export function toFtsQuery(terms: readonly string[]): string | undefined {
  if (terms.length === 0) return undefined;
  return terms
    .map((term) => {
      const quoted = `"${term.replace(/"/g, '""')}"`;
      return term.length >= PREFIX_MIN_LENGTH ? `${quoted}*` : quoted;
    })
    .join(' OR ');
}
