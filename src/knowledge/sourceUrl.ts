import path from 'node:path';

/**
 * The published address of a knowledge-folder document: its relative source path (e.g. `guides/vpn setup.pdf`),
 * each segment URL-encoded, resolved against `baseUrl` taken as a folder (a trailing slash is added when
 * missing, so `https://wiki.example.com/kb` and `https://wiki.example.com/kb/` both give
 * `https://wiki.example.com/kb/guides/vpn%20setup.pdf`). Undefined without a base URL, and for absolute paths
 * (documents of `npm run ingest`), whose location on the publishing site is unknown.
 */
export function sourceUrl(source: string, baseUrl: string | undefined): string | undefined {
  if (!baseUrl || source === '') return undefined;
  if (path.posix.isAbsolute(source) || path.win32.isAbsolute(source)) return undefined;
  const segments = source.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  // A relative source never climbs out of the knowledge folder; refuse rather than link outside the base.
  if (segments.length === 0 || segments.includes('..')) return undefined;
  const folder = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(segments.map(encodeURIComponent).join('/'), folder).href;
}
