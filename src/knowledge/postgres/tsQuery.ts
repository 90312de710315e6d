import { PREFIX_MIN_LENGTH } from '../searchTerms';

/**
 * Builds a safe `to_tsquery` expression from search terms, the PostgreSQL twin of `toFtsQuery`: each term
 * reduced to letters and digits and quoted (so no tsquery operator can be smuggled in), longer terms with
 * prefix matching (`:*`), all joined by OR (`|`) so ts_rank orders passages by how much of the question
 * they match.
 * @returns undefined when no term is left (nothing to search for).
 */
export function toTsQuery(terms: readonly string[]): string | undefined {
  const words = terms.flatMap((term) => term.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  if (words.length === 0) return undefined;
  return [...new Set(words)]
    .map((word) => (word.length >= PREFIX_MIN_LENGTH ? `'${word}':*` : `'${word}'`))
    .join(' | ');
}
