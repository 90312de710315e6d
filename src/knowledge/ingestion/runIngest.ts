/**
 * `npm run ingest -- <folder or file> [...]`: ingests Markdown, text, HTML, PDF and Word documents
 * into the bot's knowledge base (the database of the bot's configuration: SQLite or DATABASE_URL),
 * incrementally; with
 * EMBEDDINGS_MODEL set, the new or changed passages are embedded too. Exit code 0 when the run
 * completed, even if some files (or the embeddings) failed (they are listed); 1 when it could not run.
 */
import { backendSettings, openBackend, type Backend } from '../../storage/backend';
import { loadConfig, type AppConfig } from '../../config';
import { createEmbedder, KnowledgeBase, type EmbeddingSummary, type KnowledgeBaseOptions } from '..';
import { createLogger } from '../../shared/logging';
import { startOfflineModel, type RunningOfflineModel } from '../../model/offlineModel';
import { ingestDocuments, type IngestSummary } from './ingestDocuments';
import { formatIngestSummary, lineReporter, progressBarReporter } from './ingestReporters';

/** Where the command writes and what it reads from its environment. */
export interface IngestCommandIo {
  env: NodeJS.ProcessEnv;
  /** Gets the progress (a bar when it is a TTY) and the summary. */
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** Gets the usage and fatal errors. */
  stderr: NodeJS.WritableStream;
}

const USAGE = 'usage: npm run ingest -- <folder or file> [...]';

/**
 * Runs the ingest command with its arguments and returns the exit code; the summary goes to stdout,
 * usage and fatal errors to stderr. A progress bar is drawn when stdout is a TTY, plain lines otherwise.
 */
export async function runIngestCommand(args: readonly string[], io: IngestCommandIo): Promise<number> {
  if (args.length === 0) {
    io.stderr.write(`${USAGE}\n`);
    return 1;
  }
  let summary: IngestSummary;
  let embeddings: EmbeddingSummary | undefined;
  let offline: RunningOfflineModel | undefined;
  try {
    const config = loadConfig(io.env);
    if (config.embeddings && config.model.provider === 'offline') offline = await startOfflineModel();
    const backend = await openBackend(backendSettings(config.storage));
    const reporter = io.stdout.isTTY
      ? progressBarReporter(io.stdout)
      : lineReporter((line) => io.stdout.write(`${line}\n`));
    try {
      const knowledgeBase = new KnowledgeBase(
        backend.passageIndex,
        knowledgeOptions(config, backend, offline),
      );
      try {
        summary = await ingestDocuments(knowledgeBase, args, reporter);
      } finally {
        reporter.stop();
      }
      if (config.embeddings) embeddings = await knowledgeBase.embedMissing();
    } finally {
      await backend.close();
    }
  } catch (error) {
    io.stderr.write(`ingest failed: ${describeError(error)}\n`);
    return 1;
  } finally {
    await offline?.close();
  }
  io.stdout.write(`${formatIngestSummary(summary).join('\n')}\n`);
  if (embeddings) io.stdout.write(`${formatEmbeddingSummary(embeddings)}\n`);
  return 0;
}

/** With EMBEDDINGS_MODEL set, the knowledge base embeds passages like the bot does (failures are printed). */
function knowledgeOptions(
  config: AppConfig,
  backend: Backend,
  offline: RunningOfflineModel | undefined,
): KnowledgeBaseOptions {
  if (!config.embeddings) return {};
  const logger = createLogger('silent');
  return {
    logger,
    embeddings: {
      embedder: createEmbedder(config.model, config.embeddings, { logger, offline }),
      vectors: backend.vectors,
    },
  };
}

/** One line about the embeddings pass. */
function formatEmbeddingSummary(summary: EmbeddingSummary): string {
  const counts = `embedded: ${summary.embedded}, reused: ${summary.reused}, removed: ${summary.removed}`;
  return summary.error
    ? `Embeddings FAILED (${summary.error}); ${counts}. Lexical search still finds these documents; the bot retries at its next start.`
    : `Embeddings: ${counts}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

if (require.main === module) {
  runIngestCommand(process.argv.slice(2), process)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      process.stderr.write(`ingest failed: ${describeError(error)}\n`);
      process.exitCode = 1;
    });
}
