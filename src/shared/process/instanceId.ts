import { randomBytes } from 'node:crypto';
import os from 'node:os';

/**
 * This process's identity among every bot process on the database: host name, pid and a random part chosen
 * when the process started, so a restarted process (even one that got the same pid, as in a container) is
 * never taken for the one before it. Everything in one Node process shares it.
 */
export const PROCESS_INSTANCE_ID = `${os.hostname()}/${process.pid}/${randomBytes(6).toString('hex')}`;
