import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ServiceUrlAllowList } from '../../src/server/security';
import { createAdapter, startHttpServer, type RunningHttpServer } from '../../src/server';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

const SECRET = 'sk-live-0123456789abcdefghij-secret';

/** The 8-hex error id at the end of a user-facing text. */
function errorIdIn(text: string | undefined): string | undefined {
  return /\((?:error id|Fehler-ID): ([0-9a-f]{8})\)$/.exec(text ?? '')?.[1];
}

describe('error ids: the user gets a short friendly text with an id that is on the log line', function () {
  this.timeout(30000);

  describe('a turn that fails', () => {
    let connector: FakeBotConnector;
    let server: RunningHttpServer;
    let lines: Array<Record<string, unknown>>;

    before(async () => {
      connector = await startFakeBotConnector();
      const captured = capturingLogger({ secrets: [SECRET] });
      lines = captured.lines;
      const allowList = new ServiceUrlAllowList({ allowLoopback: true });
      // Only the application is replaced: its turn throws an error carrying internals and a secret.
      const app = {
        run: () => Promise.reject(new Error(`database exploded at /srv/bot/db.sqlite with key ${SECRET}`)),
      } as unknown as Application<TurnState>;
      server = await startHttpServer({
        port: 0,
        host: '127.0.0.1',
        adapter: createAdapter({ kind: 'anonymous' }, captured.logger, { allowList }),
        app,
        logger: captured.logger,
        allowList,
      });
    });
    after(async () => {
      await server.close();
      await connector.close();
    });

    for (const [locale, apology] of [
      [
        'en-US',
        /^Sorry, something went wrong while answering\. Please try again\. \(error id: [0-9a-f]{8}\)$/,
      ],
      ['de-DE', /^Leider ist beim Beantworten etwas schiefgegangen.* \(Fehler-ID: [0-9a-f]{8}\)$/],
    ] as const) {
      it(`apologises (${locale}) with an id that the log line of the failure carries, and nothing else`, async () => {
        const conversationId = `failing-turn-${locale}`;
        const response = await fetch(`${server.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...userMessage('hello', { conversationId, locale }),
            serviceUrl: connector.url,
          }),
        });
        assert.equal(response.status, 200);
        assert.ok(
          await waitFor(() => connector.forConversation(conversationId).length === 1, 5000),
          'an apology',
        );
        const text = connector.forConversation(conversationId)[0].body.text;
        assert.match(text ?? '', apology);
        const id = errorIdIn(text);
        const failure = lines.find((line) => line.msg === 'a turn failed' && line.errorId === id);
        assert.ok(failure, `a log line with errorId ${id}`);
        assert.equal(failure.level, 50);
        assert.match(String((failure.err as { message?: unknown }).message), /database exploded/);
        assert.ok(!JSON.stringify(lines).includes(SECRET), 'the secret is not in the log either');
        assert.ok(!text?.includes('database'), 'no internals reach the user');
      });
    }
  });

  describe('a model that fails', () => {
    let bot: TestBot;
    let lines: Array<Record<string, unknown>>;

    before(async () => {
      const captured = capturingLogger({ secrets: [SECRET] });
      lines = captured.lines;
      bot = await startTestBot({
        logger: captured.logger,
        model: { timeToFirstTokenMs: 10, script: () => ({ kind: 'httpError', status: 400 }) },
      });
    });
    after(() => bot.close());

    it('ends the stream with the failure text and an id that the model failure’s log line carries', async () => {
      // teams-ai 1.7.4 prints every model error with console.log (README, Known limitations).
      const teamsAiConsole = sinon.stub(console, 'log');
      try {
        await postAndWaitForAnswer(
          bot,
          userMessage('What is the expense limit?', { conversationId: 'model-down' }),
        );
      } finally {
        teamsAiConsole.restore();
      }
      const text = bot.connector.forConversation('model-down').at(-1)?.body.text;
      assert.match(
        text ?? '',
        /^Sorry, I couldn't get an answer from the language model.* \(error id: [0-9a-f]{8}\)$/,
      );
      const id = errorIdIn(text);
      const failure = lines.find((line) => line.errorId === id);
      assert.ok(failure, `a log line with errorId ${id}`);
      assert.equal(failure.level, 50);
    });
  });
});
