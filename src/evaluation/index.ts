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
  formatEvalResult,
  toEvalResult,
  truncate4,
  type RetrievalEvalResult,
  type RetrievalMode,
} from './evalResult';
export { defaultRetrievalEvalPaths, runRetrievalEval, type RetrievalEvalPaths } from './runRetrievalEval';
