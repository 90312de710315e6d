import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Lists the markdown files under `folder`, recursively, as paths relative to it with '/' separators,
 * sorted. Hidden files and folders (starting with '.') are skipped. Symbolic links to files are
 * followed (Kubernetes ConfigMap volumes are made of them); links to folders are not, so a link
 * cycle cannot trap the walk.
 */
export async function listMarkdownFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  await walk(folder, '', found);
  return found.sort();
}

async function walk(root: string, relative: string, found: string[]): Promise<void> {
  const entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      await walk(root, child, found);
    } else if (
      isMarkdown(entry.name) &&
      (entry.isFile() || (entry.isSymbolicLink() && (await isFile(root, child))))
    ) {
      found.push(child);
    }
  }
}

function isMarkdown(name: string): boolean {
  return name.toLowerCase().endsWith('.md');
}

async function isFile(root: string, relative: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(root, relative))).isFile();
  } catch (error) {
    // A dangling link is not a document; anything else (permissions, I/O) must not pass silently.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
