/**
 * A benchmark helper process (forked by helperClient), in one of two roles: the offline model with the
 * benchmark's script and the timing proxy in front of it, or the timestamping Bot Connector; on 127.0.0.1.
 * It stops when the parent says so or goes away.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startOfflineModel } from '../dev/offline-model';
import {
  isParentMessage,
  type HelperCollection,
  type HelperLoopDelay,
  type HelperMessage,
  type ModelSettings,
  type StartMessage,
} from './helperProtocol';
import { startModelTimingProxy } from './modelTiming';
import { createAnswerScript } from './scriptedAnswers';
import { preciseNow } from './time';
import { startTimestampingConnector } from './timestampingConnector';

/** A started role: its URL, what it recorded, and how to stop it. */
interface Running {
  url: string;
  collect(loop: HelperLoopDelay): HelperCollection;
  stop(): Promise<void>;
}

/** The same resolution as the bot's monitor, so the figures compare. */
const LOOP_RESOLUTION_MS = 10;

function send(message: HelperMessage): void {
  process.send?.(message);
}

async function startModel(settings: ModelSettings): Promise<Running> {
  const model = await startOfflineModel({
    timeToFirstTokenMs: settings.timeToFirstTokenMs,
    tokensPerSecond: settings.tokensPerSecond,
    script: createAnswerScript(settings),
  });
  try {
    const proxy = await startModelTimingProxy(model.baseUrl, preciseNow);
    return {
      url: proxy.baseUrl,
      collect: (loop) => ({
        role: 'model',
        modelTimings: [...proxy.timings],
        modelStats: model.stats,
        connections: proxy.connections,
        ...loop,
      }),
      stop: async () => {
        await proxy.close();
        await model.close();
      },
    };
  } catch (error) {
    await model.close();
    throw error;
  }
}

async function startConnector(): Promise<Running> {
  const connector = await startTimestampingConnector(preciseNow, (conversationId, at) =>
    send({ type: 'final', conversationId, at }),
  );
  return {
    url: connector.url,
    collect: (loop) => ({
      role: 'connector',
      sends: [...connector.sends],
      finalTexts: [...connector.finalTexts],
      connections: connector.connections,
      ...loop,
    }),
    stop: () => connector.close(),
  };
}

function start(message: StartMessage): Promise<Running> {
  return message.role === 'model' ? startModel(message.settings) : startConnector();
}

function main(): void {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const loopDelayMs = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS);
  let running: Running | undefined;
  let stopping: Promise<void> | undefined;
  const stopOnce = (): Promise<void> => (stopping ??= running ? running.stop() : Promise.resolve());
  const fail = (error: unknown): void => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  };

  process.on('message', (message: unknown) => {
    if (!isParentMessage(message)) return;
    switch (message.type) {
      case 'start':
        start(message).then((started) => {
          running = started;
          send({ type: 'ready', url: started.url });
        }, fail);
        break;
      case 'ping':
        send({ type: 'pong', id: message.id, now: preciseNow() });
        break;
      case 'collect':
        if (!running) {
          fail(new Error('nothing to collect: the helper has not started'));
          break;
        }
        send({
          type: 'collected',
          collection: running.collect({
            eventLoopDelayP99Ms: loopDelayMs(loop.percentile(99)),
            eventLoopDelayMaxMs: loopDelayMs(loop.max),
          }),
        });
        break;
      case 'stop':
        stopOnce().then(
          () => {
            send({ type: 'stopped' });
            process.disconnect?.();
          },
          (error: unknown) => {
            fail(error);
            process.exitCode = 1;
            process.disconnect?.();
          },
        );
        break;
    }
  });
  // The parent went away (finished, crashed or was interrupted): nothing may outlive it.
  process.on('disconnect', () => {
    stopOnce().then(
      () => process.exit(process.exitCode ?? 0),
      (error: unknown) => {
        console.error('benchmark helper: stopping failed:', error);
        process.exit(1);
      },
    );
  });
  // Ctrl+C reaches the whole process group; the parent decides when the helper stops.
  process.on('SIGINT', () => undefined);
}

if (require.main === module) main();
