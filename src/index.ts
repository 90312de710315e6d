import cluster from 'node:cluster';
import { loadConfig, secretValues, type AppConfig } from './config';
import { ConfigError } from './shared/errors';
import { createLogger, type Logger } from './shared/logging';
import { reportWorkerReady, startBotService, startCluster } from './server';

/**
 * Entry point: read the configuration, start the bot, stop cleanly on SIGINT/SIGTERM. With BOT_PROCESSES
 * above 1 this process becomes the cluster primary and forks that many workers, each running this same file
 * as one bot process on the shared port.
 */
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
  if (cluster.isPrimary && config.server.processes > 1) {
    runPrimary(config, logger);
    return;
  }
  await runBot(config, logger);
}

/** The cluster primary: it serves nothing itself; it starts, restarts and stops the workers. */
function runPrimary(config: AppConfig, logger: Logger): void {
  logger.info({ processes: config.server.processes, pid: process.pid }, 'starting the bot cluster');
  const running = startCluster({ processes: config.server.processes, logger });
  // Forwarded to every worker, which drains its turns; a second signal changes nothing.
  process.on('SIGINT', () => running.stop('SIGINT'));
  process.on('SIGTERM', () => running.stop('SIGTERM'));
  void running.done.then((code) => process.exit(code));
}

/** One bot process: the whole bot when BOT_PROCESSES is 1, else one worker of the cluster. */
async function runBot(config: AppConfig, baseLogger: Logger): Promise<void> {
  // A worker's lines name its pid: they are interleaved with the other workers' on the primary's output.
  const logger = cluster.isWorker ? baseLogger.child({ pid: process.pid }) : baseLogger;
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
  reportWorkerReady(running.port);
  let stopping = false;
  const stop = (signal: string): void => {
    // A worker may get the signal twice (from the terminal's process group and forwarded by the primary).
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
