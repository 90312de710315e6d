import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageError } from '../../shared/errors';
import type { DocumentOrigin, KnowledgeBase } from '..';
import { formatOf } from './documentFormats';
import { extractMarkdown } from './extractMarkdown';
import { listDocumentFiles } from './listDocumentFiles';

/**
 * Changing how documents are extracted must re-index them even though the files did not change:
 * the version is part of the content hash.
 */
const EXTRACTION_VERSION = 'ingest-v2';

/** What happened to one file. */
export type FileOutcome =
  { kind: 'indexed'; passages: number } | { kind: 'skipped' } | { kind: 'failed'; reason: string };

/** A file that could not be ingested, and why. */
export interface FailedFile {
  /** Absolute path (or the argument as given when it does not exist). */
  file: string;
  reason: string;
}

/** What an ingestion run did. */
export interface IngestSummary {
  /** Files looked at (supported files found in the folders, plus files named directly). */
  files: number;
  /** Files (re)indexed because they were new or had changed. */
  indexed: number;
  /** Passages written for the indexed files. */
  chunks: number;
  /** Files left as they were because their content had not changed. */
  skipped: number;
  /** Documents removed because their files under an ingested folder are gone. */
  removed: number;
  failed: FailedFile[];
}

/** Hears about the run as it goes (a progress bar, log lines). */
export interface IngestObserver {
  /** Called once, when the files to look at are known. */
  started(totalFiles: number): void;
  /** Called after each file. */
  fileDone(file: string, outcome: FileOutcome): void;
}

const SILENT: IngestObserver = { started: () => undefined, fileDone: () => undefined };

/**
 * `npm run ingest`: ingests files and folders (recursively) into the knowledge base with origin
 * 'ingest', each document under its absolute path as source: new and changed files are (re)indexed,
 * each in one transaction; unchanged ones (same content hash) are skipped; documents of origin
 * 'ingest' whose files are gone from an ingested folder are removed (nothing else is). A missing
 * path, an unsupported or unreadable file, or one its parser rejects is recorded in `failed` and the
 * run goes on (its previously indexed version, if any, stays).
 * @throws StorageError only when the knowledge index itself cannot be read or written.
 */
export async function ingestDocuments(
  knowledgeBase: KnowledgeBase,
  inputs: readonly string[],
  observer: IngestObserver = SILENT,
): Promise<IngestSummary> {
  const failed: FailedFile[] = [];
  const files = new Set<string>();
  const folders: string[] = [];
  for (const input of inputs) {
    const resolved = path.resolve(input);
    try {
      const stat = await fs.stat(resolved);
      if (stat.isDirectory()) {
        folders.push(resolved);
        for (const file of await listDocumentFiles(resolved)) files.add(file);
      } else {
        files.add(resolved);
      }
    } catch (error) {
      failed.push({ file: input, reason: `cannot read: ${describe(error)}` });
    }
  }

  const summary = await ingestFiles(
    knowledgeBase,
    [...files].map((file) => ({ file, source: file })),
    'ingest',
    observer,
    failed,
  );
  const known = await knowledgeBase.indexedDocuments('ingest');
  for (const source of known.keys()) {
    const underIngestedFolder = folders.some((folder) => source.startsWith(folder + path.sep));
    if (underIngestedFolder && !files.has(source) && (await knowledgeBase.removeDocument(source))) {
      summary.removed += 1;
    }
  }
  return summary;
}

/**
 * The bot's startup: syncs the knowledge folder (KNOWLEDGE_DIR) into the knowledge base with origin
 * 'folder', each document under its path relative to the folder ('guides/vpn.pdf', '/' separated) as
 * source, which is what citations show. Like `ingestDocuments`: all supported formats, unchanged files
 * skipped, changed ones replaced, a broken file recorded in `failed` (its earlier version stays); and
 * every 'folder' document whose file is gone is removed. Documents of origin 'ingest' are left alone.
 * @throws StorageError when the folder cannot be read or the knowledge index cannot be read or written.
 */
export async function ingestFolder(
  knowledgeBase: KnowledgeBase,
  folder: string,
  observer: IngestObserver = SILENT,
): Promise<IngestSummary> {
  const root = path.resolve(folder);
  let files: string[];
  try {
    files = await listDocumentFiles(root);
  } catch (error) {
    throw new StorageError(`cannot read the knowledge folder ${root}`, false, { cause: error });
  }
  const documents = files.map((file) => ({
    file,
    source: path.relative(root, file).split(path.sep).join('/'),
  }));
  const summary = await ingestFiles(knowledgeBase, documents, 'folder', observer, []);
  const present = new Set(documents.map((document) => document.source));
  for (const source of (await knowledgeBase.indexedDocuments('folder')).keys()) {
    if (!present.has(source) && (await knowledgeBase.removeDocument(source))) summary.removed += 1;
  }
  return summary;
}

/** Indexes each file under its source, counting outcomes; failures are added to `failed`. */
async function ingestFiles(
  knowledgeBase: KnowledgeBase,
  documents: ReadonlyArray<{ file: string; source: string }>,
  origin: DocumentOrigin,
  observer: IngestObserver,
  failed: FailedFile[],
): Promise<IngestSummary> {
  observer.started(documents.length);
  const known = await knowledgeBase.indexedDocuments(origin);
  const summary: IngestSummary = {
    files: documents.length,
    indexed: 0,
    chunks: 0,
    skipped: 0,
    removed: 0,
    failed,
  };
  for (const { file, source } of documents) {
    const outcome = await ingestFile(knowledgeBase, file, { source, origin }, known.get(source));
    if (outcome.kind === 'indexed') {
      summary.indexed += 1;
      summary.chunks += outcome.passages;
    } else if (outcome.kind === 'skipped') summary.skipped += 1;
    else failed.push({ file, reason: outcome.reason });
    observer.fileDone(file, outcome);
  }
  return summary;
}

async function ingestFile(
  knowledgeBase: KnowledgeBase,
  file: string,
  target: { source: string; origin: DocumentOrigin },
  knownHash: string | undefined,
): Promise<FileOutcome> {
  const format = formatOf(file);
  if (format === undefined) return { kind: 'failed', reason: 'unsupported file type' };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return { kind: 'failed', reason: `cannot read: ${describe(error)}` };
  }
  const contentHash = hashContent(bytes);
  if (contentHash === knownHash) return { kind: 'skipped' };

  let markdown: string;
  try {
    markdown = await extractMarkdown(format, bytes);
  } catch (error) {
    return { kind: 'failed', reason: `cannot extract text (${format}): ${describe(error)}` };
  }
  const fallbackTitle = path.basename(file, path.extname(file));
  // A failing index (StorageError) is not this file's problem but the run's: it propagates.
  const result = await knowledgeBase.indexDocument({ ...target, fallbackTitle, markdown, contentHash });
  return result.skipped ? { kind: 'skipped' } : { kind: 'indexed', passages: result.passages };
}

function hashContent(bytes: Buffer): string {
  return createHash('sha256').update(EXTRACTION_VERSION).update('\0').update(bytes).digest('hex');
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
