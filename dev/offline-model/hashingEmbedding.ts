import { isStopWord, stem } from './keywords';

/** Dimensions of the offline stand-in's vectors. */
export const HASHING_EMBEDDING_DIMENSIONS = 512;

/** A word's stem counts this much; each character trigram of the word this much. */
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.15;

/**
 * The offline model's embeddings: a LEXICAL-HASHING STAND-IN, not a semantic model. Each topic word
 * (stop words dropped, diacritics folded) contributes its crude stem and its character trigrams
 * ('^wifi$' → '^wi', 'wif', 'ifi', 'fi$'), each hashed (FNV-1a) to a signed bucket of a fixed-size
 * vector; term counts are damped (1 + ln tf) and the vector is L2-normalized, so the cosine of two
 * vectors measures shared words and, much less, shared spelling fragments, which give misspelt or split
 * words ('pasword', 'wi-fi' vs 'wifi') a little similarity that a word index does not; it knows nothing
 * of synonyms or meaning.
 * Deterministic: the same text always gives the same vector.
 */
export function hashingEmbedding(text: string, dimensions: number = HASHING_EMBEDDING_DIMENSIONS): number[] {
  const counts = new Map<string, number>();
  const count = (feature: string): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + 1);
  };
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  for (const word of folded.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 2 || isStopWord(word)) continue;
    count(`w:${stem(word)}`);
    const padded = `^${word}$`;
    for (let index = 0; index + 3 <= padded.length; index += 1) count(`t:${padded.slice(index, index + 3)}`);
  }

  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, occurrences] of counts) {
    const hash = fnv1a(feature);
    const sign = hash & 0x80000000 ? -1 : 1;
    const weight = feature.startsWith('w:') ? WORD_WEIGHT : TRIGRAM_WEIGHT;
    // Damped counts: a word said five times is not five times the topic.
    vector[hash % dimensions] += sign * weight * (1 + Math.log(occurrences));
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/** 32-bit FNV-1a over the UTF-16 code units of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
