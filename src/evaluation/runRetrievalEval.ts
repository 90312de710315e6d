/**
 * `npm run eval:retrieval`: indexes the knowledge folder (KNOWLEDGE_DIR, default knowledge/) into an
 * in-memory database, runs the labelled questions of eval/retrieval-questions.json through lexical
 * (BM25) search, prints mode, questions, recall@5, MRR and the misses, and writes the same to
 * eval/results/latest.json.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageError } from '../errors';
import { KnowledgeBase, SqlitePassageIndex } from '../knowledge';
import { openDatabase } from '../storage';
import { formatEvalResult, toEvalResult, type RetrievalEvalResult } from './evalResult';
import { loadQuestionSet } from './questionSet';
import { DEFAULT_EVAL_K, evaluate } from './retrievalMetrics';

/** The repository root (this file runs from build/src/evaluation). */
const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');

/** Where the evaluation reads and writes, by default inside the repository. */
export interface RetrievalEvalPaths {
  /** The markdown folder to index. */
  knowledgeDir: string;
  /** The labelled question set (JSON). */
  questionsFile: string;
  /** Where the result is written as JSON (its folder is created). */
  resultsFile: string;
}

/** The default paths: KNOWLEDGE_DIR (resolved against the working directory) or knowledge/, and eval/. */
export function defaultRetrievalEvalPaths(env: NodeJS.ProcessEnv = process.env): RetrievalEvalPaths {
  return {
    knowledgeDir: env.KNOWLEDGE_DIR
      ? path.resolve(env.KNOWLEDGE_DIR)
      : path.join(REPOSITORY_ROOT, 'knowledge'),
    questionsFile: path.join(REPOSITORY_ROOT, 'eval', 'retrieval-questions.json'),
    resultsFile: path.join(REPOSITORY_ROOT, 'eval', 'results', 'latest.json'),
  };
}

/**
 * Evaluates lexical retrieval: indexes `knowledgeDir` into a fresh in-memory database, runs every
 * question of the set (top k), writes the result to `resultsFile` and returns it.
 * @throws StorageError when the folder, the set or the results file cannot be read or written;
 *   ConfigError when the question set is invalid.
 */
export async function runRetrievalEval(
  paths: RetrievalEvalPaths,
  k: number = DEFAULT_EVAL_K,
): Promise<RetrievalEvalResult> {
  const set = await loadQuestionSet(paths.questionsFile);
  const db = openDatabase({ file: ':memory:' });
  let result: RetrievalEvalResult;
  try {
    const knowledgeBase = new KnowledgeBase(new SqlitePassageIndex(db));
    await knowledgeBase.loadFolder(paths.knowledgeDir);
    const report = await evaluate(set, (query, limit) => knowledgeBase.search(query, limit), k);
    result = toEvalResult(report, 'lexical', paths.knowledgeDir);
  } finally {
    db.close();
  }
  await writeResult(paths.resultsFile, result);
  return result;
}

async function writeResult(file: string, result: RetrievalEvalResult): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`, 'utf8');
  } catch (error) {
    throw new StorageError(`cannot write the evaluation result ${file}`, false, { cause: error });
  }
}

async function main(): Promise<void> {
  const paths = defaultRetrievalEvalPaths();
  const result = await runRetrievalEval(paths);
  process.stdout.write(`${formatEvalResult(result).join('\n')}\n\nWritten to ${paths.resultsFile}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    process.stderr.write(
      `eval:retrieval failed: ${error instanceof Error ? error.message : String(error)}${cause}\n`,
    );
    process.exitCode = 1;
  });
}
