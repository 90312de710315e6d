import type { ModelFamilySetting, ReasoningEffort } from '../model/modelFamily';

/** Everything the bot needs to know about its environment, validated once at startup. */
export interface AppConfig {
  server: {
    port: number;
    /**
     * The interface to listen on: HOST, or when HOST is unset 127.0.0.1 in anonymous mode (no BOT_ID) and
     * 0.0.0.0 with BOT_ID.
     */
    host: string;
    /** How many bot processes share the port (BOT_PROCESSES; 1 = one process, no cluster primary). */
    processes: number;
  };
  /** NODE_ENV=production: credentials are required and loopback service URLs are refused. */
  production: boolean;
  bot: BotIdentity;
  /** Overrides of botbuilder's Bot Framework authentication endpoints (tests only; unset in production). */
  botAuthentication: BotAuthenticationEndpoints;
  /** Where the bot may send (the serviceUrl allow-list; see src/server/security). */
  outbound: OutboundConfig;
  /**
   * SQLite in `databaseFile` unless `postgres` is set (DATABASE_URL). `journalMode` 'delete' is for network
   * file systems (Azure App Service's /home), where WAL is unsafe.
   */
  storage: {
    dataDir: string;
    databaseFile: string;
    journalMode: 'wal' | 'delete';
    postgres: PostgresConfig | undefined;
  };
  /**
   * `dir`: the knowledge folder; `baseUrl` (KNOWLEDGE_BASE_URL): where the same documents are published, so
   * passages from the folder cite a link (see sourceUrl in src/knowledge); unset: citations have no link.
   */
  knowledge: { dir: string; baseUrl: string | undefined };
  model: ModelConfig;
  /** Set: hybrid (lexical + vector) search with this embeddings model; unset: lexical search only. */
  embeddings: EmbeddingsConfig | undefined;
  log: { level: LogLevel };
  /** `token` guards the admin pages (GET /admin/feedback); unset, those pages do not exist. */
  admin: { token: string | undefined };
  /**
   * `apiKey` turns on the web chat (POST /api/chat, GET /chat) and is the bearer token it requires;
   * `rateLimit` is how many questions it takes per key (or, for requests without the key, per client address).
   */
  chat: { apiKey: string | undefined; rateLimit: RateLimitSetting | undefined };
  /** Admission control of answers, per process (see docs/operations.md#admission-control). */
  admission: {
    /** MAX_ANSWERS_IN_PROGRESS: beyond it a message gets a short busy reply and no model call. */
    maxAnswersInProgress: number;
    /** USER_MESSAGES_PER_MINUTE / USER_MESSAGE_BURST; undefined: no limit. */
    perUser: RateLimitSetting | undefined;
    /** CONVERSATION_MESSAGES_PER_MINUTE / CONVERSATION_MESSAGE_BURST; undefined: no limit. */
    perConversation: RateLimitSetting | undefined;
  };
  /** `allowed`: the only tenant ids (lower case) whose activities the bot handles; undefined = every tenant. */
  tenants: { allowed: readonly string[] | undefined };
  /** `days`: conversation history, answers and feedback older than this are deleted; undefined = kept. */
  retention: { days: number | undefined };
  /** Where traces and metrics go; nothing is exported (no OpenTelemetry SDK is started) when neither is set. */
  telemetry: TelemetryConfig;
}

/**
 * OpenTelemetry export (see src/observability). `otlp`: OTLP over HTTP/protobuf to OTEL_EXPORTER_OTLP_ENDPOINT;
 * `azureMonitor`: Application Insights through Microsoft's distribution. Both may be set; neither: no export.
 */
export interface TelemetryConfig {
  serviceName: string;
  /** How often metrics are exported, in ms (OTEL_METRIC_EXPORT_INTERVAL). */
  metricExportIntervalMs: number;
  /** `headers` may hold credentials: never log them. */
  otlp: { endpoint: string; headers: Record<string, string> } | undefined;
  /** The connection string holds the ingestion key: never log it. */
  azureMonitor: { connectionString: string } | undefined;
}

/** A token bucket per key: `burst` messages at once, then `perMinute` a minute. */
export interface RateLimitSetting {
  perMinute: number;
  burst: number;
}

/** The PostgreSQL server every store uses instead of SQLite; `url` holds credentials: never log it. */
export interface PostgresConfig {
  url: string;
  poolSize: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** How the bot authenticates with the Bot Connector. `anonymous` is for the Agents Playground only. */
export type BotIdentity =
  | { kind: 'anonymous' }
  | { kind: 'MultiTenant'; appId: string; appPassword: string }
  | { kind: 'SingleTenant'; appId: string; appPassword: string; tenantId: string }
  | { kind: 'UserAssignedMSI'; appId: string; tenantId: string };

/**
 * Overrides of the endpoints botbuilder uses to authenticate: the OpenID metadata that lists the keys inbound
 * tokens are signed with, the issuer those tokens must carry, and the login URL the bot gets its own outbound
 * token from. Undefined means botbuilder's public-cloud default.
 */
export interface BotAuthenticationEndpoints {
  openIdMetadataUrl: string | undefined;
  tokenIssuer: string | undefined;
  loginUrl: string | undefined;
}

/** The outbound allow-list settings: hosts added to the Teams/Bot Framework defaults, and loopback. */
export interface OutboundConfig {
  /** Host names or `*.` wildcards from ALLOWED_SERVICE_URL_HOSTS, lower case. */
  extraServiceUrlHosts: string[];
  /** Loopback service URLs (Agents Playground, tests) are allowed outside production only. */
  allowLoopback: boolean;
}

/** Which language model answers, as chosen from the environment. */
export type ModelConfig = OpenAIModelConfig | AzureOpenAIModelConfig | OfflineModelConfig;

/**
 * How requests are shaped for the model's family (MODEL_FAMILY, REASONING_EFFORT; see src/model/modelFamily).
 * `reasoningEffort` is sent to reasoning models only.
 */
export interface ModelRequestSettings {
  family: ModelFamilySetting;
  reasoningEffort: ReasoningEffort;
}

/** OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio) when `baseUrl` is set. */
export interface OpenAIModelConfig extends ModelRequestSettings {
  provider: 'openai';
  apiKey: string;
  model: string;
  baseUrl: string | undefined;
}

/** Azure OpenAI with an API key or a managed identity (Entra ID token). */
export interface AzureOpenAIModelConfig extends ModelRequestSettings {
  provider: 'azure-openai';
  endpoint: string;
  deployment: string;
  apiVersion: string;
  auth: { kind: 'apiKey'; apiKey: string } | { kind: 'managedIdentity'; clientId: string | undefined };
}

/** The built-in offline model, served in-process on loopback. */
export interface OfflineModelConfig {
  provider: 'offline';
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

/**
 * The embeddings model for hybrid search. It is reached through the chat provider's endpoint and
 * credentials: an OpenAI model name, an Azure OpenAI embeddings deployment, or (with the offline model)
 * any name for the offline server's lexical-hashing stand-in.
 */
export interface EmbeddingsConfig {
  model: string;
}
