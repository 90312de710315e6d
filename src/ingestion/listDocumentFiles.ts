import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatOf } from './documentFormats';

/**
 * The supported documents under a folder, recursively, as absolute paths in a stable (sorted)
 * order. Hidden files and folders (starting with '.') are left out.
 * @throws the file system error when the folder cannot be read.
 */
export async function listDocumentFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await listDocumentFiles(full)));
    else if (entry.isFile() && formatOf(entry.name) !== undefined) found.push(full);
  }
  return found.sort();
}
