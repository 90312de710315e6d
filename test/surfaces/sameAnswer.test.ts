import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/shared/logging';
import { assembleAssistant, type Assistant } from '../../src/turn';
import { openDatabase, SqliteFeedbackStore } from '../../src/storage';
import {
  InProcessChannel,
  SURFACE_TENANT_ID,
  type SurfaceMessage,
  type SurfaceSink,
} from '../../src/surfaces';
import { postAndWaitForAnswer } from '../support/answers';
import { REPO_ROOT, startTestBot, userMessage, type TestBot } from '../support/testBot';
import { askWebChat, textOf } from './webChatClient';

const API_KEY = 'same-answer-key-0123456789';
const QUESTION = 'How do I connect to the VPN?';

interface Citation {
  position: number;
  appearance: { name: string };
}

/** A sink that keeps the final message, as the terminal prints it. */
function recordingSink(messages: SurfaceMessage[]): SurfaceSink {
  return {
    onStatus: () => undefined,
    onTextDelta: () => undefined,
    onToolCall: () => undefined,
    onToolResult: () => undefined,
    onMessage: (message) => messages.push(message),
    onTurnEnd: () => undefined,
    onConfirmation: () => undefined,
  };
}

describe('one assistant, three surfaces: the same question gets the same cited answer', function () {
  this.timeout(30000);
  let bot: TestBot;
  let terminal: Assistant | undefined;
  let terminalData: string | undefined;

  before(async () => {
    bot = await startTestBot({ env: { CHAT_API_KEY: API_KEY } });
    // What `npm run chat` builds, on the same (offline) model server.
    terminalData = mkdtempSync(path.join(os.tmpdir(), 'same-answer-'));
    terminal = await assembleAssistant(
      loadConfig({
        DATA_DIR: terminalData,
        KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
        OPENAI_BASE_URL: bot.model.baseUrl,
        OPENAI_MODEL: 'test-model',
      }),
      { logger: createLogger('silent') },
    );
  });
  after(async () => {
    await terminal?.close();
    await bot.close();
    if (terminalData) rmSync(terminalData, { recursive: true, force: true });
  });

  it('on Teams, in the terminal and on the web', async () => {
    assert.ok(terminal);
    // Teams: through the Bot Connector wire, the final message of the stream.
    await postAndWaitForAnswer(bot, userMessage(QUESTION, { conversationId: 'same-teams' }));
    const final = bot.connector.forConversation('same-teams').find((sent) => sent.body.type === 'message');
    const teamsText = final?.body.text ?? '';
    const teamsCitations = (final?.body.entities?.find(
      (entity) => entity.type === 'https://schema.org/Message',
    )?.citation ?? []) as Citation[];

    // Terminal: the in-process adapter on the terminal channel.
    const messages: SurfaceMessage[] = [];
    await new InProcessChannel({
      app: terminal.app,
      channelId: 'terminal',
    }).ask({
      conversationId: 'terminal-same',
      userId: 'terminal-user',
      text: QUESTION,
      signal: new AbortController().signal,
      sink: recordingSink(messages),
    });
    const terminalMessage = messages.find((message) => message.streamed);

    // Web: POST /api/chat read by the AI SDK's own transport.
    const web = await askWebChat({
      baseUrl: bot.service.url,
      apiKey: API_KEY,
      chatId: 'same-web',
      question: QUESTION,
    });
    const webSources = (web.message?.parts ?? []).flatMap((part) =>
      part.type === 'source-document' ? [{ position: Number(part.sourceId), name: part.title }] : [],
    );

    assert.match(teamsText, /VPN.*\[1\]/s);
    assert.equal(terminalMessage?.text, teamsText, 'terminal == Teams');
    assert.equal(textOf(web.message), teamsText, 'web == Teams');

    const teamsSources = teamsCitations.map((citation) => ({
      position: citation.position,
      name: citation.appearance.name,
    }));
    assert.ok(teamsSources.length >= 2);
    assert.deepEqual(
      terminalMessage?.citations.map((citation) => ({
        position: citation.position,
        name: citation.appearance.name,
      })),
      teamsSources,
    );
    assert.deepEqual(webSources, teamsSources);

    // Every surface's turn is recorded with its token usage (provider-reported by the offline model).
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const store = new SqliteFeedbackStore(db);
      for (const scope of [
        { tenantId: 'tenant-1', conversationId: 'same-teams' },
        { tenantId: SURFACE_TENANT_ID, conversationId: 'web-same-web' },
      ]) {
        const usage = (await store.latestAnswer(scope))?.usage;
        assert.ok(
          usage && usage.promptTokens > 0 && usage.completionTokens > 0 && !usage.estimated,
          scope.conversationId,
        );
      }
    } finally {
      db.close();
    }
  });
});
