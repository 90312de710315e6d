/**
 * Document ingestion (`npm run ingest`): Markdown, text, HTML, PDF and Word files extracted to
 * markdown and indexed, incrementally, into the knowledge base.
 */
export { formatOf, SUPPORTED_EXTENSIONS, type DocumentFormat } from './documentFormats';
export { extractMarkdown } from './extractMarkdown';
export { htmlToMarkdown } from './htmlToMarkdown';
export {
  ingestDocuments,
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
