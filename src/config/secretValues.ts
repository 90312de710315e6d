import type { AppConfig } from './appConfig';

/**
 * The secret values of a configuration (bot password, model API keys, admin token, web chat key), for the logger to
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
  return secrets.filter((secret) => secret.length > 0 && secret !== 'not-needed');
}
