import path from 'node:path';
import { ConfigError } from '../shared/errors';
import type { AppConfig, BotAuthenticationEndpoints, BotIdentity, RateLimitSetting } from './appConfig';
import { parseEnv, requireSetting, type Env } from './envSchema';
import { modelConfig } from './modelSettings';

/** Where the bot listens with BOT_ID set and HOST unset: every interface (App Service, containers). */
export const DEFAULT_HOST = '0.0.0.0';
/**
 * Where the bot listens in anonymous mode (no BOT_ID) with HOST unset: loopback only. An anonymous bot accepts
 * unauthenticated requests, so anyone who could reach it could send activities as any tenant and user.
 */
export const ANONYMOUS_DEFAULT_HOST = '127.0.0.1';

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
    server: {
      port: env.PORT,
      host: env.HOST ?? (bot.kind === 'anonymous' ? ANONYMOUS_DEFAULT_HOST : DEFAULT_HOST),
      processes: env.BOT_PROCESSES,
    },
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
    chat: {
      apiKey: env.CHAT_API_KEY,
      rateLimit: rateLimit(env.CHAT_RATE_LIMIT_PER_MINUTE, env.CHAT_RATE_LIMIT_BURST),
    },
    admission: {
      maxAnswersInProgress: env.MAX_ANSWERS_IN_PROGRESS,
      perUser: rateLimit(env.USER_MESSAGES_PER_MINUTE, env.USER_MESSAGE_BURST),
      perConversation: rateLimit(env.CONVERSATION_MESSAGES_PER_MINUTE, env.CONVERSATION_MESSAGE_BURST),
    },
    tenants: { allowed: env.ALLOWED_TENANTS },
    retention: { days: env.RETENTION_DAYS === 0 ? undefined : env.RETENTION_DAYS },
    telemetry: {
      serviceName: env.OTEL_SERVICE_NAME,
      metricExportIntervalMs: env.OTEL_METRIC_EXPORT_INTERVAL,
      otlp: env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, headers: env.OTEL_EXPORTER_OTLP_HEADERS ?? {} }
        : undefined,
      azureMonitor: env.APPLICATIONINSIGHTS_CONNECTION_STRING
        ? { connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING }
        : undefined,
    },
  };
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

/** A rate limit setting: undefined when its per-minute rate is 0 (no limit). */
function rateLimit(perMinute: number, burst: number): RateLimitSetting | undefined {
  return perMinute === 0 ? undefined : { perMinute, burst };
}
