import type { AppConfig } from './appConfig';

/**
 * The secret values of a configuration (bot password, model API keys, admin token, web chat key, the database
 * URL and its password, the OTLP headers and the Application Insights connection string), for the logger to
 * remove wherever they would appear.
 */
export function secretValues(config: AppConfig): string[] {
  const secrets: string[] = [];
  if (config.bot.kind === 'MultiTenant' || config.bot.kind === 'SingleTenant')
    secrets.push(config.bot.appPassword);
  if (config.model.provider === 'openai') secrets.push(config.model.apiKey);
  if (config.model.provider === 'azure-openai' && config.model.auth.kind === 'apiKey') {
    secrets.push(config.model.auth.apiKey);
  }
  if (config.admin.token) secrets.push(config.admin.token);
  if (config.chat.apiKey) secrets.push(config.chat.apiKey);
  if (config.storage.postgres)
    secrets.push(config.storage.postgres.url, ...databasePassword(config.storage.postgres.url));
  const { otlp, azureMonitor } = config.telemetry;
  if (otlp) secrets.push(...Object.values(otlp.headers));
  if (azureMonitor) secrets.push(azureMonitor.connectionString);
  return secrets.filter((secret) => secret.length > 0 && secret !== 'not-needed');
}

/** The password inside a postgres:// URL (decoded), if it has one. */
function databasePassword(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}
