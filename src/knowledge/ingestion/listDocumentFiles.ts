import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatOf } from './documentFormats';

/**
 * The supported documents under a folder, recursively, as absolute paths in a stable (sorted)
 * order. Hidden files and folders (starting with '.') are left out. Symbolic links to files are
 * followed (Kubernetes ConfigMap volumes are made of them); links to folders are not, so a link
 * cycle cannot trap the walk.
 * @throws the file system error when the folder cannot be read.
 */
export async function listDocumentFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.readdir(folder, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await listDocumentFiles(full)));
    else if (
      formatOf(entry.name) !== undefined &&
      (entry.isFile() || (entry.isSymbolicLink() && (await isFile(full))))
    ) {
      found.push(full);
    }
  }
  return found.sort();
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch (error) {
    // A dangling link is not a document; anything else (permissions, I/O) must not pass silently.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
