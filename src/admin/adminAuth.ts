import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The token a request presents: from `Authorization: Bearer <token>`, else from the `token` query parameter
 * (for opening the page in a browser). Undefined when it carries neither.
 */
export function presentedToken(
  authorization: string | undefined,
  query: URLSearchParams,
): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  return query.get('token') ?? undefined;
}

/**
 * Whether `presented` equals `expected`, in time independent of where they differ. Both are hashed to
 * SHA-256 first so `timingSafeEqual` compares equal-length buffers and the length is not leaked either.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
