import { readFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { REPO_ROOT } from './testBot';

/** The test-only certificate for 127.0.0.1 (see test/fixtures/tls/README.md); trust it with NODE_EXTRA_CA_CERTS. */
export const LOOPBACK_CERT_FILE = path.join(REPO_ROOT, 'test/fixtures/tls/loopback-cert.pem');
const LOOPBACK_KEY_FILE = path.join(REPO_ROOT, 'test/fixtures/tls/loopback-key.pem');

/** A TLS front for a plain TCP server on loopback: https://127.0.0.1:<port> in, the target's port out. */
export interface TlsFront {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a TLS terminating proxy on 127.0.0.1 in front of `targetPort` (also on 127.0.0.1). */
export async function startTlsFront(targetPort: number): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer going away mid-stream is normal here; the other side is closed with it.
    socket.on('error', () => socket.destroy());
  };
  const server = tls.createServer(
    { key: readFileSync(LOOPBACK_KEY_FILE), cert: readFileSync(LOOPBACK_CERT_FILE) },
    (client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
