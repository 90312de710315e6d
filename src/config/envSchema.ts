import os from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../shared/errors';
import { MODEL_FAMILY_SETTINGS, REASONING_EFFORTS } from '../model/modelFamily';

/** A host name such as smba.trafficmanager.net, or a wildcard for its subdomains such as *.botframework.com. */
const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Most processes BOT_PROCESSES may ask for. */
const MAX_BOT_PROCESSES = 64;

/** A rate setting: whole messages per minute, 0 for no limit. */
function messagesPerMinute(defaultValue: number) {
  return z.coerce
    .number()
    .int('must be a whole number of messages per minute')
    .min(0, 'must be 0 (no limit) or a number of messages per minute')
    .max(100000, 'must be at most 100000')
    .default(defaultValue);
}

/** A burst setting: how many messages may come at once after a quiet spell. */
function messageBurst(defaultValue: number) {
  return z.coerce
    .number()
    .int('must be a whole number of messages')
    .min(1, 'must be at least 1')
    .max(10000, 'must be at most 10000')
    .default(defaultValue);
}

/** The environment variables the bot reads; every one is optional and an empty string counts as unset. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  // No default here: it depends on the mode (see listenHost in loadConfig.ts).
  HOST: z.string().optional(),
  BOT_PROCESSES: z
    .string()
    .regex(/^(auto|[0-9]+)$/i, 'must be auto (one process per core) or a whole number of processes such as 2')
    .transform((value) => (value.toLowerCase() === 'auto' ? os.availableParallelism() : Number(value)))
    .pipe(
      z
        .number()
        .int()
        .min(1, 'must be at least 1 (or auto: one process per core)')
        .max(MAX_BOT_PROCESSES, `must be at most ${MAX_BOT_PROCESSES}`),
    )
    .default('1'),
  MAX_ANSWERS_IN_PROGRESS: z.coerce
    .number()
    .int('must be a whole number of answers')
    .min(1, 'must be at least 1')
    .max(100000, 'must be at most 100000')
    .default(100),
  USER_MESSAGES_PER_MINUTE: messagesPerMinute(20),
  USER_MESSAGE_BURST: messageBurst(10),
  CONVERSATION_MESSAGES_PER_MINUTE: messagesPerMinute(60),
  CONVERSATION_MESSAGE_BURST: messageBurst(30),
  BOT_ID: z.string().uuid('must be a GUID (the bot app registration client id)').optional(),
  BOT_PASSWORD: z.string().optional(),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  BOT_TENANT_ID: z.string().optional(),
  DATA_DIR: z.string().default('data'),
  KNOWLEDGE_DIR: z.string().default('knowledge'),
  KNOWLEDGE_BASE_URL: z
    .string()
    .url('must be an http(s) URL such as https://contoso.sharepoint.com/sites/it/Shared%20Documents/')
    .refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL')
    .optional(),
  SQLITE_JOURNAL_MODE: z.enum(['wal', 'delete']).default('wal'),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL (unset: the embedded SQLite database)')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().optional(),
  MODEL_FAMILY: z.enum(MODEL_FAMILY_SETTINGS).default('auto'),
  REASONING_EFFORT: z.enum(REASONING_EFFORTS).optional(),
  OPENAI_BASE_URL: z.string().url('must be a URL such as http://localhost:11434/v1').optional(),
  AZURE_OPENAI_API_KEY: z.string().optional(),
  AZURE_OPENAI_ENDPOINT: z
    .string()
    .url('must be a URL such as https://my-resource.openai.azure.com')
    .refine((value) => value.startsWith('https://'), 'must use https://')
    .optional(),
  AZURE_OPENAI_DEPLOYMENT_NAME: z.string().optional(),
  AZURE_OPENAI_API_VERSION: z.string().default('2025-04-01-preview'),
  AZURE_OPENAI_USE_MANAGED_IDENTITY: z.enum(['true', 'false']).optional(),
  AZURE_CLIENT_ID: z.string().optional(),
  OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS: z.coerce.number().int().min(0).max(60000).default(400),
  OFFLINE_MODEL_TOKENS_PER_SECOND: z.coerce.number().min(1).max(10000).default(30),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CHAT_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  CHAT_RATE_LIMIT_PER_MINUTE: messagesPerMinute(20),
  CHAT_RATE_LIMIT_BURST: messageBurst(10),
  NODE_ENV: z.string().optional(),
  ALLOWED_SERVICE_URL_HOSTS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine(
      (hosts) => hosts.every((host) => HOST_PATTERN.test(host)),
      'must be a comma-separated list of host names, each optionally starting with "*." (no scheme, port or path)',
    )
    .optional(),
  BOT_OPENID_METADATA_URL: z.string().url('must be a URL').optional(),
  BOT_TOKEN_ISSUER: z.string().min(1).optional(),
  BOT_LOGIN_URL: z.string().url('must be a URL').optional(),
  EMBEDDINGS_MODEL: z
    .string()
    .max(200, 'must be at most 200 characters')
    .regex(
      /^[A-Za-z0-9][\w.:/-]*$/,
      'must be an embeddings model or deployment name such as text-embedding-3-small',
    )
    .optional(),
  ALLOWED_TENANTS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((tenant) => tenant.trim().toLowerCase())
        .filter((tenant) => tenant !== ''),
    )
    .pipe(
      z
        .array(z.string().uuid('must be a comma-separated list of tenant ids (GUIDs)'))
        .min(1, 'must name at least one tenant id (GUID)'),
    )
    .optional(),
  RETENTION_DAYS: z.coerce
    .number()
    .int('must be a whole number of days')
    .min(0, 'must be 0 (keep forever) or a number of days')
    .max(36500, 'must be at most 36500 days')
    .default(0),
  // OpenTelemetry (see docs/operations.md#telemetry): the standard OTel names, read here and nowhere else.
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url('must be the base URL of an OTLP/HTTP receiver such as http://localhost:4318')
    .refine((value) => /^https?:\/\//i.test(value), 'must be an http:// or https:// URL')
    .optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf'], {
      errorMap: () => ({ message: 'only http/protobuf is supported (unset means http/protobuf)' }),
    })
    .default('http/protobuf'),
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .transform(parseOtlpHeaders)
    .refine(
      (headers) => headers !== undefined,
      'must be comma-separated key=value pairs such as api-key=secret,tenant=ops',
    )
    .optional(),
  OTEL_SERVICE_NAME: z.string().max(200, 'must be at most 200 characters').default('teams-stream-assistant'),
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000 ms')
    .max(3600000, 'must be at most 3600000 ms (an hour)')
    .default(60000),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .regex(
      /(^|;)\s*(InstrumentationKey|ConnectionString)=/i,
      'must be an Application Insights connection string (InstrumentationKey=...;IngestionEndpoint=...)',
    )
    .optional(),
});

/** The validated environment: every variable the bot reads, with defaults applied. */
export type Env = z.infer<typeof envSchema>;

/** Every environment variable the bot reads. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * OTEL_EXPORTER_OTLP_HEADERS as the OpenTelemetry specification writes it: `key=value` pairs separated by
 * commas, values URL-encoded. Undefined when a pair has no key or no `=`.
 */
function parseOtlpHeaders(value: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) return undefined;
    const key = pair.slice(0, equals).trim();
    if (key === '') return undefined;
    try {
      headers[key] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      return undefined;
    }
  }
  return headers;
}

/** A URL the pg driver connects with: postgres:// or postgresql:// with a host. */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The environment variables the bot reads, trimmed (empty counts as unset) and validated.
 * @throws ConfigError naming the first variable that is wrong, in one line.
 */
export function parseEnv(environment: NodeJS.ProcessEnv): Env {
  const known = Object.keys(envSchema.shape);
  const present: Record<string, string> = {};
  for (const name of known) {
    const value = environment[name]?.trim();
    if (value) present[name] = value;
  }
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const setting = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(setting, issue?.message ?? 'is invalid');
  }
  return result.data;
}

/** The value of a setting that must be set `when` (e.g. "for Azure OpenAI"); ConfigError when it is not. */
export function requireSetting<K extends keyof Env>(env: Env, name: K, when: string): string {
  const value = env[name];
  if (typeof value !== 'string' || value === '') throw new ConfigError(name, `is required ${when}`);
  return value;
}
