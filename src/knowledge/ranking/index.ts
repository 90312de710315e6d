/** Ranking helpers for hybrid search: brute-force cosine similarity and reciprocal rank fusion. */
export { cosineSimilarity, nearestByCosine, type VectorCandidate } from './vectorSearch';
export { reciprocalRankFusion, RRF_K, type FusedResult } from './reciprocalRankFusion';
