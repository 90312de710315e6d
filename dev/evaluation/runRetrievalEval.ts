/**
 * `npm run eval:retrieval`: indexes the knowledge folder (KNOWLEDGE_DIR, default knowledge/) into an
 * in-memory database with the bot's own ingestion, runs the labelled questions of
 * eval/retrieval-questions.json through lexical (BM25) search and through hybrid search (lexical fused with
 * vector search: the configured EMBEDDINGS_MODEL, or when none is configured the offline model's
 * lexical-hashing stand-in, labelled as such), prints recall@5, MRR and the misses per mode, and writes the
 * same to eval/results/latest.json.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { StorageError } from '../../src/shared/errors';
import { ingestFolder } from '../../src/knowledge/ingestion';
import {
  createEmbedder,
  KnowledgeBase,
  SqlitePassageIndex,
  SqliteVectorStore,
  type Embedder,
} from '../../src/knowledge';
import { createLogger, type Logger } from '../../src/shared/logging';
import { startOfflineModel } from '../offline-model';
import { openDatabase } from '../../src/storage';
import { formatEvalReport, toEvalResult, type RetrievalEvalReport } from './evalResult';
import { loadQuestionSet } from './questionSet';
import { DEFAULT_EVAL_K, evaluate } from './retrievalMetrics';

/** The repository root (this file runs from build/dev/evaluation). */
const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');

/** The model name sent to the offline server's embeddings endpoint (it ignores it). */
export const OFFLINE_EMBEDDINGS_MODEL = 'offline-lexical-hashing';

/** Where the evaluation reads and writes, by default inside the repository. */
export interface RetrievalEvalPaths {
  /** The folder to index (every format ingestion reads). */
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

/** What the evaluation runs with besides its paths. */
export interface RetrievalEvalOptions {
  k?: number;
  /** Evaluates hybrid search with this embedder too; without one, lexical only. */
  embedder?: Embedder;
  /** Hears about embeddings failures; default silent. */
  logger?: Logger;
}

/**
 * Evaluates retrieval: indexes `knowledgeDir` into a fresh in-memory database (as the bot's startup
 * does), runs every question of the set (top k) in lexical mode and, with an embedder, in hybrid mode,
 * writes the report to `resultsFile` and returns it.
 * @throws StorageError when the folder, the set or the results file cannot be read or written;
 *   ConfigError when the question set is invalid; ModelError when the passages cannot be embedded.
 */
export async function runRetrievalEval(
  paths: RetrievalEvalPaths,
  options: RetrievalEvalOptions = {},
): Promise<RetrievalEvalReport> {
  const k = options.k ?? DEFAULT_EVAL_K;
  const logger = options.logger ?? createLogger('silent');
  const set = await loadQuestionSet(paths.questionsFile);
  const db = openDatabase({ file: ':memory:' });
  const report: RetrievalEvalReport = { knowledgeDir: paths.knowledgeDir, results: [] };
  try {
    const lexical = new KnowledgeBase(new SqlitePassageIndex(db));
    await ingestFolder(lexical, paths.knowledgeDir);
    const lexicalReport = await evaluate(set, (query, limit) => lexical.search(query, limit), k);
    report.results.push(toEvalResult(lexicalReport, 'lexical', 'SQLite FTS5, BM25'));

    if (options.embedder) {
      const hybrid = new KnowledgeBase(new SqlitePassageIndex(db), {
        logger,
        embeddings: { embedder: options.embedder, vectors: new SqliteVectorStore(db) },
      });
      const embedded = await hybrid.embedMissing();
      // Hybrid figures over passages without vectors would be lexical figures under another name.
      if (embedded.error) throw new StorageError(`embedding the passages failed: ${embedded.error}`);
      const hybridReport = await evaluate(set, (query, limit) => hybrid.search(query, limit), k);
      report.results.push(
        toEvalResult(
          hybridReport,
          'hybrid',
          `BM25 + ${options.embedder.description}, reciprocal rank fusion`,
        ),
      );
    }
  } finally {
    db.close();
  }
  await writeReport(paths.resultsFile, report);
  return report;
}

async function writeReport(file: string, report: RetrievalEvalReport): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  } catch (error) {
    throw new StorageError(`cannot write the evaluation result ${file}`, false, { cause: error });
  }
}

async function main(): Promise<void> {
  const paths = defaultRetrievalEvalPaths();
  const config = loadConfig(process.env);
  const logger = createLogger('warn');
  // With no embeddings model configured, hybrid runs on the offline model's lexical-hashing stand-in.
  const offline =
    config.embeddings && config.model.provider !== 'offline' ? undefined : await startOfflineModel();
  try {
    const embedder = createEmbedder(
      offline ? { provider: 'offline', timeToFirstTokenMs: 0, tokensPerSecond: 1 } : config.model,
      config.embeddings ?? { model: OFFLINE_EMBEDDINGS_MODEL },
      { logger, offline },
    );
    const report = await runRetrievalEval(paths, { embedder, logger });
    process.stdout.write(`${formatEvalReport(report).join('\n')}\n\nWritten to ${paths.resultsFile}\n`);
  } finally {
    await offline?.close();
  }
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
