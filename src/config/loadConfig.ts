import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../shared/errors';
import {
  DEFAULT_REASONING_EFFORT,
  MODEL_FAMILY_SETTINGS,
  REASONING_EFFORTS,
  resolveModelFamily,
} from '../model/modelFamily';
import type {
  AppConfig,
  BotAuthenticationEndpoints,
  BotIdentity,
  ModelConfig,
  ModelRequestSettings,
} from './appConfig';

/**
 * The OpenAI model when OPENAI_MODEL is unset: a small gpt-5 family reasoning model (fast, cheap, good at tool
 * calls, on OpenAI and on Azure OpenAI), run at REASONING_EFFORT=low (see README, "Configuration").
 */
export const DEFAULT_OPENAI_MODEL = 'gpt-5-mini';

/** A host name such as smba.trafficmanager.net, or a wildcard for its subdomains such as *.botframework.com. */
const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** The environment variables the bot reads; every one is optional and an empty string counts as unset. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
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
});

type Env = z.infer<typeof envSchema>;

/** Every environment variable the bot reads. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Reads and validates the bot's configuration from environment variables.
 * @throws ConfigError naming the first variable that is wrong or missing, in one line.
 */
export function loadConfig(environment: NodeJS.ProcessEnv): AppConfig {
  const env = parseEnv(environment);
  const dataDir = path.resolve(env.DATA_DIR);
  const production = env.NODE_ENV === 'production';
  const bot = botIdentity(env);
  if (production && bot.kind === 'anonymous') {
    throw new ConfigError(
      'BOT_ID',
      'is required when NODE_ENV=production (anonymous mode is for local development and the Agents Playground only)',
    );
  }
  return {
    server: { port: env.PORT, host: env.HOST },
    production,
    bot,
    botAuthentication: botAuthenticationEndpoints(env, production),
    outbound: {
      extraServiceUrlHosts: env.ALLOWED_SERVICE_URL_HOSTS ?? [],
      allowLoopback: !production,
    },
    storage: {
      dataDir,
      databaseFile: path.join(dataDir, 'bot.sqlite'),
      journalMode: env.SQLITE_JOURNAL_MODE,
      postgres: env.DATABASE_URL ? { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE } : undefined,
    },
    knowledge: { dir: path.resolve(env.KNOWLEDGE_DIR), baseUrl: env.KNOWLEDGE_BASE_URL },
    model: modelConfig(env),
    embeddings: env.EMBEDDINGS_MODEL ? { model: env.EMBEDDINGS_MODEL } : undefined,
    log: { level: env.LOG_LEVEL },
    admin: { token: env.ADMIN_TOKEN },
    chat: { apiKey: env.CHAT_API_KEY },
    tenants: { allowed: env.ALLOWED_TENANTS },
    retention: { days: env.RETENTION_DAYS === 0 ? undefined : env.RETENTION_DAYS },
  };
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

function parseEnv(environment: NodeJS.ProcessEnv): Env {
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

function botIdentity(env: Env): BotIdentity {
  const type = env.BOT_TYPE ?? 'MultiTenant';
  if (!env.BOT_ID) {
    if (env.BOT_PASSWORD) throw new ConfigError('BOT_ID', 'is required when BOT_PASSWORD is set');
    if (env.BOT_TYPE) throw new ConfigError('BOT_ID', `is required when BOT_TYPE is set`);
    return { kind: 'anonymous' };
  }
  const appId = env.BOT_ID;
  if (type === 'UserAssignedMSI') {
    if (env.BOT_PASSWORD) throw new ConfigError('BOT_PASSWORD', 'must be empty for BOT_TYPE=UserAssignedMSI');
    return {
      kind: type,
      appId,
      tenantId: requireSetting(env, 'BOT_TENANT_ID', 'for BOT_TYPE=UserAssignedMSI'),
    };
  }
  const appPassword = requireSetting(env, 'BOT_PASSWORD', 'when BOT_ID is set');
  if (type === 'SingleTenant') {
    return {
      kind: type,
      appId,
      appPassword,
      tenantId: requireSetting(env, 'BOT_TENANT_ID', 'for BOT_TYPE=SingleTenant'),
    };
  }
  return { kind: type, appId, appPassword };
}

/**
 * Overrides of the Bot Framework authentication endpoints; production leaves them unset (botbuilder's public
 * cloud defaults). Tests point them at local servers; outside development they must use https.
 */
function botAuthenticationEndpoints(env: Env, production: boolean): BotAuthenticationEndpoints {
  const endpoints: BotAuthenticationEndpoints = {
    openIdMetadataUrl: env.BOT_OPENID_METADATA_URL,
    tokenIssuer: env.BOT_TOKEN_ISSUER,
    loginUrl: env.BOT_LOGIN_URL,
  };
  if (production) {
    for (const name of ['BOT_OPENID_METADATA_URL', 'BOT_LOGIN_URL'] as const) {
      const value = env[name];
      if (value !== undefined && !value.startsWith('https://')) {
        throw new ConfigError(name, 'must use https:// when NODE_ENV=production');
      }
    }
  }
  return endpoints;
}

function modelConfig(env: Env): ModelConfig {
  const openAiSet = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  const azureSet = Boolean(
    env.AZURE_OPENAI_ENDPOINT ||
    env.AZURE_OPENAI_API_KEY ||
    env.AZURE_OPENAI_DEPLOYMENT_NAME ||
    env.AZURE_OPENAI_USE_MANAGED_IDENTITY === 'true',
  );
  if (openAiSet && azureSet) {
    throw new ConfigError(
      'AZURE_OPENAI_ENDPOINT',
      'set either the OPENAI_* or the AZURE_OPENAI_* settings, not both',
    );
  }
  if (azureSet) {
    const endpoint = requireSetting(env, 'AZURE_OPENAI_ENDPOINT', 'for Azure OpenAI');
    const deployment = requireSetting(env, 'AZURE_OPENAI_DEPLOYMENT_NAME', 'for Azure OpenAI');
    const useIdentity = env.AZURE_OPENAI_USE_MANAGED_IDENTITY === 'true';
    if (useIdentity && env.AZURE_OPENAI_API_KEY) {
      throw new ConfigError(
        'AZURE_OPENAI_API_KEY',
        'must be empty when AZURE_OPENAI_USE_MANAGED_IDENTITY=true',
      );
    }
    if (!useIdentity && !env.AZURE_OPENAI_API_KEY) {
      throw new ConfigError(
        'AZURE_OPENAI_API_KEY',
        'is required for Azure OpenAI (or set AZURE_OPENAI_USE_MANAGED_IDENTITY=true)',
      );
    }
    return {
      provider: 'azure-openai',
      endpoint,
      deployment,
      ...requestSettings(env, deployment),
      apiVersion: env.AZURE_OPENAI_API_VERSION,
      auth: useIdentity
        ? { kind: 'managedIdentity', clientId: env.AZURE_CLIENT_ID }
        : { kind: 'apiKey', apiKey: env.AZURE_OPENAI_API_KEY ?? '' },
    };
  }
  if (openAiSet) {
    // Local OpenAI-compatible servers (Ollama, vLLM, LM Studio) accept any key.
    const model = env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL;
    return {
      provider: 'openai',
      apiKey: env.OPENAI_API_KEY ?? 'not-needed',
      model,
      baseUrl: env.OPENAI_BASE_URL,
      ...requestSettings(env, model),
    };
  }
  if (env.OPENAI_MODEL) {
    throw new ConfigError(
      'OPENAI_API_KEY',
      'is required when OPENAI_MODEL is set (or set OPENAI_BASE_URL for a local server)',
    );
  }
  if (env.MODEL_FAMILY === 'reasoning' || env.REASONING_EFFORT) {
    const setting = env.REASONING_EFFORT ? 'REASONING_EFFORT' : 'MODEL_FAMILY';
    throw new ConfigError(
      setting,
      'applies to OpenAI and Azure OpenAI models only; the built-in offline model (no OPENAI_* or AZURE_OPENAI_* set) is a chat model',
    );
  }
  return {
    provider: 'offline',
    timeToFirstTokenMs: env.OFFLINE_MODEL_TIME_TO_FIRST_TOKEN_MS,
    tokensPerSecond: env.OFFLINE_MODEL_TOKENS_PER_SECOND,
  };
}

/**
 * MODEL_FAMILY and REASONING_EFFORT for a model (or Azure deployment) name. A reasoning effort for a model
 * that is not a reasoning model would be refused by the API on every call, so it stops startup instead.
 */
function requestSettings(env: Env, modelName: string): ModelRequestSettings {
  const family = resolveModelFamily(env.MODEL_FAMILY, modelName);
  if (env.REASONING_EFFORT && family === 'chat') {
    throw new ConfigError(
      'REASONING_EFFORT',
      env.MODEL_FAMILY === 'chat'
        ? 'must be empty when MODEL_FAMILY=chat (chat models take no reasoning effort)'
        : `must be empty for ${modelName}, which is not recognised as a reasoning model (set MODEL_FAMILY=reasoning if it is one, e.g. for an Azure deployment whose name does not say)`,
    );
  }
  return { family: env.MODEL_FAMILY, reasoningEffort: env.REASONING_EFFORT ?? DEFAULT_REASONING_EFFORT };
}

function requireSetting<K extends keyof Env>(env: Env, name: K, when: string): string {
  const value = env[name];
  if (typeof value !== 'string' || value === '') throw new ConfigError(name, `is required ${when}`);
  return value;
}

/** One line for the startup log saying which model answers, without secrets. */
export function describeModel(model: ModelConfig): string {
  switch (model.provider) {
    case 'openai':
      return (
        (model.baseUrl
          ? `OpenAI-compatible server at ${model.baseUrl}, model ${model.model}`
          : `OpenAI, model ${model.model}`) + familyNote(model, model.model)
      );
    case 'azure-openai':
      return `Azure OpenAI at ${model.endpoint}, deployment ${model.deployment} (${
        model.auth.kind === 'apiKey' ? 'API key' : 'managed identity'
      })${familyNote(model, model.deployment)}`;
    case 'offline':
      return 'the built-in offline model (no OPENAI_API_KEY or AZURE_OPENAI_* set)';
  }
}

/** `, reasoning model, effort low` or `, chat model`, for the startup line. */
function familyNote(settings: ModelRequestSettings, modelName: string): string {
  const family = resolveModelFamily(settings.family, modelName);
  return family === 'reasoning' ? `, reasoning model, effort ${settings.reasoningEffort}` : ', chat model';
}
