/**
 * Document ingestion: Markdown, text, HTML, PDF and Word files extracted to markdown and indexed,
 * incrementally, into the knowledge base, by `npm run ingest` (origin 'ingest') and by the bot's
 * startup for its knowledge folder (origin 'folder'); one code path for both.
 */
export { formatOf, SUPPORTED_EXTENSIONS, type DocumentFormat } from './documentFormats';
export { extractMarkdown } from './extractMarkdown';
export { htmlToMarkdown } from './htmlToMarkdown';
export { markPdfHeadings } from './pdfHeadings';
export {
  ingestDocuments,
  ingestFolder,
  type FailedFile,
  type FileOutcome,
  type IngestObserver,
  type IngestSummary,
} from './ingestDocuments';
export {
  formatIngestSummary,
  lineReporter,
  progressBarReporter,
  type IngestReporter,
} from './ingestReporters';
export { runIngestCommand, type IngestCommandIo } from './runIngest';
export { syncKnowledgeFolder, type KnowledgeFolderSync } from './syncKnowledgeFolder';
