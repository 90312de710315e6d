import type { EmbeddingSummary, KnowledgeBase } from '..';
import type { Logger } from '../../shared/logging';
import { ingestFolder, type IngestSummary } from './ingestDocuments';

/** What the startup sync did: the folder's ingestion and the embeddings pass. */
export interface KnowledgeFolderSync {
  ingest: IngestSummary;
  embeddings: EmbeddingSummary;
  /** Documents and passages in the index afterwards (the folder's and ingested ones). */
  documents: number;
  passages: number;
}

/**
 * The bot's startup ingestion of its knowledge folder: `ingestFolder` (all supported formats,
 * incremental, origin 'folder'), then the embeddings of new or changed passages when an embeddings model
 * is configured. Each broken file is logged as a warning and skipped, an embeddings failure is logged
 * (search stays lexical for those passages); neither stops startup.
 * @throws StorageError when the folder cannot be read or the index cannot be written.
 */
export async function syncKnowledgeFolder(
  knowledgeBase: KnowledgeBase,
  folder: string,
  logger: Logger,
): Promise<KnowledgeFolderSync> {
  const ingest = await ingestFolder(knowledgeBase, folder, {
    started: () => undefined,
    fileDone: (file, outcome) => {
      if (outcome.kind === 'failed') {
        logger.warn({ file, reason: outcome.reason }, 'knowledge document skipped: it could not be read');
      }
    },
  });
  const embeddings = await knowledgeBase.embedMissing();
  const stats = await knowledgeBase.stats();
  logger.info(
    {
      folder,
      files: ingest.files,
      indexed: ingest.indexed,
      skipped: ingest.skipped,
      removed: ingest.removed,
      failed: ingest.failed.length,
      ...stats,
      search: knowledgeBase.searchMode,
      ...(knowledgeBase.searchMode === 'lexical' ? {} : { embeddings }),
    },
    'knowledge base loaded',
  );
  return { ingest, embeddings, ...stats };
}
