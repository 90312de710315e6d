/** A candidate of a vector search: its vector and what to return for it. */
export interface VectorCandidate<T> {
  item: T;
  vector: Float32Array;
}

/** Cosine similarity of two vectors of the same length; 0 when either is all zeros. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`vectors of different dimensions: ${a.length} and ${b.length}`);
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index] * b[index];
    normA += a[index] * a[index];
    normB += b[index] * b[index];
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

/**
 * The `limit` candidates most similar to the query by cosine similarity, best first (ties in candidate
 * order). Brute force over every candidate, in memory: fine for a knowledge base of hundreds to a few
 * thousand passages (one multiply-add per dimension per passage); a much larger one would want an
 * approximate nearest-neighbour index (sqlite-vec, pgvector).
 * Candidates whose dimension differs from the query's (another model's vectors) are left out.
 */
export function nearestByCosine<T>(
  query: Float32Array,
  candidates: ReadonlyArray<VectorCandidate<T>>,
  limit: number,
): { item: T; similarity: number }[] {
  return candidates
    .filter((candidate) => candidate.vector.length === query.length)
    .map((candidate) => ({ item: candidate.item, similarity: cosineSimilarity(query, candidate.vector) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, Math.max(0, limit));
}
