import { loadConfig, secretValues, type AppConfig } from './config';
import { ConfigError } from './shared/errors';
import { createLogger } from './shared/logging';
import { startBotService } from './server';

/** Entry point: read the configuration, start the bot, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.log.level, { secrets: secretValues(config) });
  // A background failure is logged; it must not take down the conversations in flight.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  let service;
  try {
    service = await startBotService(config, { logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    logger.fatal({ err: error }, 'the bot could not start');
    process.exit(1);
  }
  const running = service;
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
