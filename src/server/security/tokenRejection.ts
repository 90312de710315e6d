import type { InvokeResponse } from 'botbuilder';

/** Longest reason a log line carries. */
const MAX_REASON_LENGTH = 160;

/**
 * The answer to a request whose token was rejected: 401 with a body that does not say why, so a caller
 * probing the endpoint learns nothing about what failed (missing, expired, wrong audience or signature).
 */
export const UNAUTHORIZED_RESPONSE: Readonly<InvokeResponse> = Object.freeze({
  status: 401,
  body: Object.freeze({ error: 'Unauthorized' }),
});

/**
 * Why botbuilder rejected a token, for the one log line of a refused request: the first line of the error's
 * message, without botbuilder's "Unauthorized" prefixes, at most {@link MAX_REASON_LENGTH} characters. Never
 * a stack trace. The logger scrubs token shapes from it as from any line.
 */
export function tokenRejectionReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n', 1)[0] ?? '';
  const reason = firstLine
    .replace(/^(Unauthorized( Access)?[.:]\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (reason === '') return 'unknown';
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}
