import type net from 'node:net';

/** The address servers are moved to. */
export const LOOPBACK_HOST = '127.0.0.1';
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * Rewrites `server.listen(...)` arguments so that a missing or wildcard host becomes 127.0.0.1.
 * Handles `listen(port[, host][, backlog][, cb])` and `listen({ port, host, ... }[, cb])`; a specific host,
 * a pipe path or a handle passes through unchanged.
 */
export function loopbackListenArgs(args: readonly unknown[]): unknown[] {
  const [first, second] = args;
  if (isPort(first)) {
    if (second === undefined || typeof second === 'function' || typeof second === 'number') {
      return [first, LOOPBACK_HOST, ...args.slice(1)];
    }
    if (typeof second === 'string' && WILDCARDS.has(second)) return [first, LOOPBACK_HOST, ...args.slice(2)];
    return [...args];
  }
  if (isPortListenOptions(first)) {
    const host = first.host;
    if (host === undefined || WILDCARDS.has(host))
      return [{ ...first, host: LOOPBACK_HOST }, ...args.slice(1)];
  }
  return [...args];
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

function isPortListenOptions(value: unknown): value is net.ListenOptions {
  // A handle ({ fd }, a server or a socket) or a pipe path is not a TCP port listen: leave it alone.
  return (
    typeof value === 'object' &&
    value !== null &&
    !('fd' in value) &&
    !('_handle' in value) &&
    !('path' in value && (value as net.ListenOptions).path !== undefined) &&
    ('port' in value || 'host' in value)
  );
}
