import path from 'node:path';

/** The kinds of document ingestion reads. */
export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

const FORMATS_BY_EXTENSION: ReadonlyMap<string, DocumentFormat> = new Map([
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ['.txt', 'text'],
  ['.html', 'html'],
  ['.htm', 'html'],
  ['.pdf', 'pdf'],
  ['.docx', 'docx'],
]);

/** The file extensions ingestion reads (lower case, with the dot). */
export const SUPPORTED_EXTENSIONS: readonly string[] = [...FORMATS_BY_EXTENSION.keys()];

/** The format of a file by its extension (case-insensitive), or undefined when it is not supported. */
export function formatOf(file: string): DocumentFormat | undefined {
  return FORMATS_BY_EXTENSION.get(path.extname(file).toLowerCase());
}
