/**
 * Where passage embeddings are kept: one vector per embeddings model and passage content hash (see
 * `embeddingInput`), so unchanged passages keep their vectors when their document is re-indexed.
 */
export interface PassageVectorStore {
  /** Every stored vector of the model: content hash → vector. */
  vectors(model: string): Promise<Map<string, Float32Array>>;
  /** Stores (or replaces) vectors of the model, in one transaction. */
  store(model: string, entries: ReadonlyArray<{ textHash: string; vector: Float32Array }>): Promise<void>;
  /**
   * Removes every vector except those of `model` whose hash is in `keep` (passages that are gone, and
   * vectors of other models); resolves how many were removed.
   */
  prune(model: string, keep: ReadonlySet<string>): Promise<number>;
}
