import { isIP } from 'node:net';
import type { AppConfig } from '../../config';

/** What the bot says at startup about where an anonymous bot listens: one log line and its level. */
export interface ListenNotice {
  level: 'info' | 'warn';
  message: string;
}

/**
 * The startup line about the interface an anonymous bot (no BOT_ID) listens on, or undefined with BOT_ID.
 * Such a bot accepts unauthenticated requests, so anyone who can reach its port can send activities as any
 * tenant and user: on loopback that is only this machine (info), anywhere else it is a warning.
 */
export function anonymousListenNotice(
  config: Pick<AppConfig, 'bot' | 'server'>,
  port: number,
): ListenNotice | undefined {
  if (config.bot.kind !== 'anonymous') return undefined;
  const { host } = config.server;
  if (isLoopbackHost(host)) {
    return {
      level: 'info',
      message: `anonymous mode: listening on ${host} only; set HOST to listen elsewhere`,
    };
  }
  return {
    level: 'warn',
    message:
      `anonymous mode: HOST=${host} is not a loopback address, so anyone who can reach port ${port} can send ` +
      'unauthenticated activities as any tenant and user; set BOT_ID, or leave HOST unset to listen on ' +
      '127.0.0.1 only',
  };
}

/** True for an address only this machine can reach: `localhost`, 127.0.0.0/8, `::1` (also in brackets). */
export function isLoopbackHost(host: string): boolean {
  const value = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (value === 'localhost') return true;
  if (isIP(value) === 4) return value.startsWith('127.');
  if (isIP(value) === 6) return value === '::1' || value === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(value);
  return false;
}
