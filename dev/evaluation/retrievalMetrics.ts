/**
 * Retrieval quality metrics over a labelled question set: recall@k and mean reciprocal rank (MRR).
 * A returned passage is relevant when its source file and heading path match a label, so labels
 * survive re-indexing (passage ids and positions do not).
 */

/** Identifies a knowledge passage independently of indexing: its file and its section path. */
export interface PassageLabel {
  /** The document's path relative to the knowledge folder, e.g. 'remote-work-and-vpn.md'. */
  source: string;
  /** The section path as the knowledge base stores it, e.g. 'Troubleshooting'; '' before the first sub-heading. */
  heading: string;
}

/** A question and the passages that answer it. */
export interface LabelledQuestion {
  question: string;
  /** At least one passage. */
  relevant: PassageLabel[];
}

/** Searches for a question; returns passages best first, at most `limit`. Sync or async. */
export type RetrievalSearch = (
  query: string,
  limit: number,
) => readonly PassageLabel[] | Promise<readonly PassageLabel[]>;

/** A question whose relevant passages were not all in the top k. */
export interface RetrievalMiss {
  question: string;
  /** All the passages labelled as answering the question. */
  expected: PassageLabel[];
  /** What the search returned, best first (source and heading only). */
  got: PassageLabel[];
}

/** The outcome of evaluating a question set. */
export interface RetrievalReport {
  /** Number of questions evaluated. */
  questions: number;
  /** The cut-off used for recall and MRR (5 unless asked otherwise). */
  k: number;
  /** Recall at k averaged over the questions (named for the default k = 5), between 0 and 1. */
  recallAt5: number;
  /** Mean reciprocal rank of the first relevant passage within the top k, between 0 and 1. */
  mrr: number;
  /** The questions with recall below 1, in set order. */
  misses: RetrievalMiss[];
}

/** Default cut-off: the knowledge base hands the model 5 passages by default. */
export const DEFAULT_EVAL_K = 5;

/**
 * Share of the distinct relevant passages that appear among the first `k` results. A passage
 * returned twice (a long section split into pieces) counts once.
 * @throws RangeError when `relevant` is empty or `k` is not a positive integer.
 */
export function recallAtK(
  results: readonly PassageLabel[],
  relevant: readonly PassageLabel[],
  k: number,
): number {
  checkK(k);
  const wanted = distinctKeys(relevant);
  if (wanted.size === 0) throw new RangeError('recall needs at least one relevant passage');
  const found = new Set(
    results
      .slice(0, k)
      .map(labelKey)
      .filter((key) => wanted.has(key)),
  );
  return found.size / wanted.size;
}

/**
 * 1 / rank of the first relevant result (rank counting from 1), or 0 when no result is relevant.
 * @throws RangeError when `relevant` is empty.
 */
export function reciprocalRank(results: readonly PassageLabel[], relevant: readonly PassageLabel[]): number {
  const wanted = distinctKeys(relevant);
  if (wanted.size === 0) throw new RangeError('reciprocal rank needs at least one relevant passage');
  const index = results.findIndex((result) => wanted.has(labelKey(result)));
  return index === -1 ? 0 : 1 / (index + 1);
}

/**
 * Runs every question through `search` (asking for `k` results), one at a time, and averages
 * recall@k and reciprocal rank over the questions.
 * @throws RangeError when the set is empty, a question has no relevant passage, or `k` is invalid;
 *   whatever `search` throws is passed on.
 */
export async function evaluate(
  set: readonly LabelledQuestion[],
  search: RetrievalSearch,
  k: number = DEFAULT_EVAL_K,
): Promise<RetrievalReport> {
  checkK(k);
  if (set.length === 0) throw new RangeError('the question set is empty');
  let recallSum = 0;
  let reciprocalRankSum = 0;
  const misses: RetrievalMiss[] = [];
  for (const item of set) {
    // A search may return more than asked; only the top k count.
    const results = (await search(item.question, k)).slice(0, k);
    const recall = recallAtK(results, item.relevant, k);
    recallSum += recall;
    reciprocalRankSum += reciprocalRank(results, item.relevant);
    if (recall < 1) {
      misses.push({
        question: item.question,
        expected: item.relevant.map(toLabel),
        got: results.map(toLabel),
      });
    }
  }
  return {
    questions: set.length,
    k,
    recallAt5: recallSum / set.length,
    mrr: reciprocalRankSum / set.length,
    misses,
  };
}

/** Copies only source and heading (a search hit carries much more). */
function toLabel(passage: PassageLabel): PassageLabel {
  return { source: passage.source, heading: passage.heading };
}

function labelKey(passage: PassageLabel): string {
  return `${passage.source}\u0000${passage.heading}`;
}

function distinctKeys(labels: readonly PassageLabel[]): Set<string> {
  return new Set(labels.map(labelKey));
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}
