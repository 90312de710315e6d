import { randomBytes } from 'node:crypto';

/**
 * A short random id (8 hex characters) for one failure: the user is shown it instead of any detail, and the
 * log line of that failure carries it, so support can find the line from what the user reports.
 */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}
