import net from 'node:net';
import { ConfigError } from '../../src/shared/errors';

/**
 * Fails when something already listens on `port` at `host`, by briefly listening there itself.
 * @param setting the environment variable that chooses this port, named in the error so the user knows what to change.
 * @throws ConfigError `<setting>: port <port> is already in use; set <setting> to a free port` on EADDRINUSE,
 *   ConfigError with the system's reason for any other listen failure (e.g. EACCES).
 */
export async function ensurePortIsFree(port: number, host: string, setting: string): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, exclusive: true }, () => resolve());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ConfigError(setting, `port ${port} is already in use; set ${setting} to a free port`);
    }
    throw new ConfigError(setting, `cannot listen on ${host}:${port} (${code ?? String(error)})`);
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
