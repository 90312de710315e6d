import path from 'node:path';
import { SingleBar } from 'cli-progress';
import type { FileOutcome, IngestObserver, IngestSummary } from './ingestDocuments';

/** An observer that also has to be stopped at the end (e.g. to finish a progress bar). */
export interface IngestReporter extends IngestObserver {
  stop(): void;
}

/** A cli-progress bar on the given TTY stream, showing the current file's name. */
export function progressBarReporter(stream: NodeJS.WritableStream): IngestReporter {
  const bar = new SingleBar({
    stream,
    format: 'Ingesting [{bar}] {value}/{total} {file}',
    hideCursor: true,
    clearOnComplete: false,
  });
  return {
    started: (total) => bar.start(total, 0, { file: '' }),
    fileDone: (file) => bar.increment({ file: path.basename(file) }),
    stop: () => bar.stop(),
  };
}

/** One plain line per file, for logs and pipes. */
export function lineReporter(write: (line: string) => void): IngestReporter {
  let done = 0;
  let total = 0;
  return {
    started: (count) => {
      total = count;
    },
    fileDone: (file, outcome) => {
      done += 1;
      write(`[${done}/${total}] ${describeOutcome(outcome)} ${file}`);
    },
    stop: () => undefined,
  };
}

function describeOutcome(outcome: FileOutcome): string {
  switch (outcome.kind) {
    case 'indexed':
      return `indexed (${outcome.passages} chunks)`;
    case 'skipped':
      return 'unchanged';
    case 'failed':
      return `FAILED (${outcome.reason})`;
  }
}

/** The end-of-run summary: counts, then each failed file with its reason. */
export function formatIngestSummary(summary: IngestSummary): string[] {
  const lines = [
    `Files: ${summary.files}, indexed: ${summary.indexed}, chunks: ${summary.chunks}, ` +
      `skipped (unchanged): ${summary.skipped}, removed: ${summary.removed}, failed: ${summary.failed.length}`,
  ];
  for (const failure of summary.failed) lines.push(`  failed: ${failure.file}: ${failure.reason}`);
  return lines;
}
