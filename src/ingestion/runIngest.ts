/**
 * `npm run ingest -- <folder or file> [...]`: ingests Markdown, text, HTML, PDF and Word documents
 * into the bot's knowledge base (the database of the bot's configuration: SQLite or DATABASE_URL), incrementally. Exit code
 * 0 when the run completed, even if some files failed (they are listed); 1 when it could not run.
 */
import { loadConfig } from '../config';
import { backendSettings, openBackend } from '../backend';
import { KnowledgeBase } from '../knowledge';
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
  try {
    const config = loadConfig(io.env);
    const backend = await openBackend(backendSettings(config.storage));
    const reporter = io.stdout.isTTY
      ? progressBarReporter(io.stdout)
      : lineReporter((line) => io.stdout.write(`${line}\n`));
    try {
      summary = await ingestDocuments(new KnowledgeBase(backend.passageIndex), args, reporter);
    } finally {
      reporter.stop();
      await backend.close();
    }
  } catch (error) {
    io.stderr.write(`ingest failed: ${describeError(error)}\n`);
    return 1;
  }
  io.stdout.write(`${formatIngestSummary(summary).join('\n')}\n`);
  return 0;
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
