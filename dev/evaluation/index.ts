/** Retrieval quality evaluation: metrics, the labelled question set, and the `eval:retrieval` run. */
export {
  DEFAULT_EVAL_K,
  evaluate,
  recallAtK,
  reciprocalRank,
  type LabelledQuestion,
  type PassageLabel,
  type RetrievalMiss,
  type RetrievalReport,
  type RetrievalSearch,
} from './retrievalMetrics';
export { loadQuestionSet, parseQuestionSet } from './questionSet';
export {
  MISS_RESULTS_SHOWN,
  formatEvalReport,
  toEvalResult,
  truncate4,
  type RetrievalEvalReport,
  type RetrievalEvalResult,
  type RetrievalMode,
} from './evalResult';
export {
  defaultRetrievalEvalPaths,
  OFFLINE_EMBEDDINGS_MODEL,
  runRetrievalEval,
  type RetrievalEvalOptions,
  type RetrievalEvalPaths,
} from './runRetrievalEval';
