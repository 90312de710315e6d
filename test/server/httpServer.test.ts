import { strict as assert } from 'node:assert';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import sinon from 'sinon';
import { ServiceUrlAllowList } from '../../src/server/security';
import { createAdapter, startHttpServer, type RunningHttpServer } from '../../src/server';

const allowList = new ServiceUrlAllowList({ allowLoopback: true });
import { capturingLogger } from '../support/capturingLogger';
import { waitFor } from '../support/waitFor';

/** The Teams AI application's only entry point the server uses; the test decides what a turn does. */
function applicationRunning(turn: (context: TurnContext) => Promise<void>): Application<TurnState> {
  const app = {
    run: async (context: TurnContext) => {
      await turn(context);
      return true;
    },
  };
  // The server calls nothing but run(); a full Application would need a model, storage and a planner.
  return app as unknown as Application<TurnState>;
}

function message(id: string): Record<string, unknown> {
  return {
    type: 'message',
    id,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9',
    text: 'hello',
    from: { id: 'user-1' },
    recipient: { id: 'bot-1' },
    conversation: { id: 'conversation-1', conversationType: 'personal' },
  };
}

async function post(server: RunningHttpServer, activity: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await response.text();
  return response.status;
}

describe('startHttpServer: background turns', () => {
  let server: RunningHttpServer | undefined;
  let release: () => void = () => undefined;
  afterEach(async () => {
    release();
    await server?.close();
    server = undefined;
    sinon.restore();
  });

  it('logs a background turn whose error escapes the adapter’s error handler, and keeps serving', async () => {
    const { logger, lines } = capturingLogger();
    const adapter = createAdapter({ kind: 'anonymous' }, logger, { allowList });
    adapter.onTurnError = (_context, error) => Promise.reject(error);
    // botbuilder prints the error it turns into a 500 itself; keep the test output readable.
    sinon.stub(console, 'error');
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      adapter,
      app: applicationRunning(() => Promise.reject(new Error('the turn broke'))),
      logger,
      allowList,
    });

    assert.equal(await post(server, message('failing-1')), 200);
    assert.ok(await waitFor(() => lines.some((line) => line.status === 500), 2000), 'the failure was logged');
    const failure = lines.find((line) => line.status === 500)!;
    assert.equal(failure.level, 50, 'logged as an error');
    assert.match(String(failure.body), /the turn broke/);

    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200, 'the server still serves');
    assert.equal(await post(server, message('failing-2')), 200);
  });

  it('cuts turns that outlast the shutdown timeout, and logs how many were cut', async () => {
    const { logger, lines } = capturingLogger();
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      adapter: createAdapter({ kind: 'anonymous' }, logger, { allowList }),
      app: applicationRunning(() => stuck),
      logger,
      allowList,
      shutdownTimeoutMs: 300,
    });
    assert.equal(await post(server, message('stuck-1')), 200, 'answered although the turn never ends');

    const startedAt = Date.now();
    await server.close();
    server = undefined;
    const took = Date.now() - startedAt;
    assert.ok(took >= 290 && took < 2000, `close() took ${took} ms`);
    const warning = lines.find((line) => line.cut !== undefined);
    assert.equal(warning?.cut, 1);
    assert.equal(warning?.level, 40, 'logged as a warning');
  });

  it('closes at once when no turn is running', async () => {
    const { logger, lines } = capturingLogger();
    server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      adapter: createAdapter({ kind: 'anonymous' }, logger, { allowList }),
      app: applicationRunning(() => Promise.resolve()),
      logger,
      allowList,
    });
    assert.equal(await post(server, message('quick-1')), 200);
    await waitFor(() => false, 100);
    const startedAt = Date.now();
    await server.close();
    server = undefined;
    assert.ok(Date.now() - startedAt < 500);
    assert.equal(
      lines.some((line) => line.cut !== undefined),
      false,
    );
  });
});
