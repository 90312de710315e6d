import { stdSerializers } from 'pino';

/** What replaces a secret in a log line. */
export const REDACTED = '[Redacted]';

/**
 * Known places of secrets, for pino's fast path redaction (exact paths, one level of wildcard). The deep
 * scrub ({@link scrubLogObject}) covers the same names at any depth, inside errors too.
 */
export const REDACT_PATHS: readonly string[] = [
  'apiKey',
  'appPassword',
  'password',
  'token',
  'secret',
  'authorization',
  'DATABASE_URL',
  'connectionString',
  'headers.authorization',
  'headers.cookie',
  'headers["api-key"]',
  'req.headers.authorization',
  '*.apiKey',
  '*.appPassword',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.DATABASE_URL',
  '*.connectionString',
  '*.headers.authorization',
  '*.headers["api-key"]',
];

/** Property names whose values are secrets wherever they appear (compared without case, `-` or `_`). */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxyauthorization',
    'cookie',
    'setcookie',
    'apikey',
    'xapikey',
    'ocpapimsubscriptionkey',
    'password',
    'passwd',
    'apppassword',
    'microsoftapppassword',
    'secret',
    'clientsecret',
    'token',
    'accesstoken',
    'refreshtoken',
    'idtoken',
    'admintoken',
    'botpassword',
    'openaiapikey',
    'azureopenaiapikey',
    'databaseurl',
    'connectionstring',
    'privatekey',
    'certificateprivatekey',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Secrets that have a recognisable shape inside free text (error messages, URLs, stacks). */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Authorization header values: "Bearer eyJ...", "Basic dXNlcjpwYXNz".
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g, `$1 ${REDACTED}`],
  // JSON Web Tokens anywhere.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Passwords in URLs and connection strings: postgres://user:secret@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // OpenAI-style keys.
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  // key=value secrets in query strings and connection strings: api-key=..., Password=...;
  [/\b(api[-_]?key|password|pwd|secret|token|access_token|sig)=[^&;\s"']+/gi, `$1=${REDACTED}`],
];

/** How deep the scrub walks; deeper values are replaced (log objects are shallow, errors nest a little). */
const MAX_DEPTH = 8;

/**
 * Removes secrets from text: the configured secret values wherever they appear, and the shapes of
 * {@link SECRET_PATTERNS}.
 */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * A copy of a log object with every secret removed, at any depth: values under secret property names
 * (`authorization`, `apiKey`, `password`, `token`, `DATABASE_URL`...), configured secret values and secret
 * shapes inside strings. Errors are first turned into plain objects by pino's error serializer, so the
 * request configuration some libraries attach to them (headers with the bearer token or the api-key) is
 * scrubbed too. Objects it does not recognise as plain data (Buffers, class instances other than errors)
 * keep only their enumerable fields.
 */
export function scrubLogObject(
  value: Record<string, unknown>,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  const scrubbed = scrubValue(value, secrets, 0, new WeakSet());
  return typeof scrubbed === 'object' && scrubbed !== null ? (scrubbed as Record<string, unknown>) : {};
}

function scrubValue(
  value: unknown,
  secrets: readonly string[],
  depth: number,
  seen: WeakSet<object>,
): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  seen.add(value);
  if (value instanceof Error) return scrubValue(stdSerializers.err(value), secrets, depth, seen);
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1, seen));
  if (value instanceof Map) return scrubValue(Object.fromEntries(value.entries()), secrets, depth, seen);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // What JSON.stringify would write (URL, HttpHeaders, class instances with their own JSON form).
    try {
      return scrubValue(toJSON.call(value) as unknown, secrets, depth, seen);
    } catch {
      return '[Unserializable]';
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = SECRET_KEYS.has(normalizeKey(key)) ? REDACTED : scrubValue(item, secrets, depth + 1, seen);
  }
  return result;
}
