/**
 * The constant k of reciprocal rank fusion: a result at rank r (from 1) contributes 1 / (k + r). 60 is the
 * value of Cormack, Clarke and Büttcher (SIGIR 2009), which later studies found robust; it keeps the gap
 * between rank 1 and rank 2 of one list from outweighing agreement between the lists.
 */
export const RRF_K = 60;

/** One result of a fused ranking. */
export interface FusedResult<T> {
  item: T;
  /** The sum of 1 / (k + rank) over the rankings the item appears in; higher is better. */
  score: number;
}

/**
 * Fuses rankings by reciprocal rank fusion: each item scores the sum of 1 / (k + rank) over the rankings
 * it appears in (rank from 1; an item missing from a ranking gets nothing from it), best first; ties keep
 * the order of first appearance (the first ranking's order first).
 *
 * Why ranks and not scores: BM25 scores are unbounded and shift with the query's length and the
 * corpus, cosine similarities live in [-1, 1] and cluster differently per embeddings model, so any
 * normalisation (min-max, z-score) of the two depends on each query's score distribution and lets one
 * outlier squash the rest. Rank fusion needs no calibration and rewards passages both searches agree on.
 *
 * @param key identifies an item across rankings (e.g. the passage id).
 */
export function reciprocalRankFusion<T>(
  rankings: ReadonlyArray<readonly T[]>,
  key: (item: T) => string,
  k: number = RRF_K,
): FusedResult<T>[] {
  const fused = new Map<string, FusedResult<T>>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach((item, index) => {
      const id = key(item);
      // A ranking that lists an item twice counts its best rank only.
      if (seen.has(id)) return;
      seen.add(id);
      const contribution = 1 / (k + index + 1);
      const existing = fused.get(id);
      if (existing) existing.score += contribution;
      else fused.set(id, { item, score: contribution });
    });
  }
  // Array.prototype.sort is stable, so equal scores keep the order of first appearance.
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
