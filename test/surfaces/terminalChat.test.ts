import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOfflineModel, type RunningOfflineModel } from '../../dev/offline-model';
import { openDatabase, SqliteFeedbackStore } from '../../src/storage';
import { SURFACE_TENANT_ID } from '../../src/surfaces';
import { REPO_ROOT } from '../support/testBot';
import { waitFor } from '../support/waitFor';
import { TmuxTerminal } from './tmuxTerminal';

/** Shell-quotes one word. */
function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** The user questions of a model request, in order. */
function userQuestions(model: RunningOfflineModel, index: number): unknown[] {
  return (model.requests[index]?.messages ?? []).filter((m) => m.role === 'user').map((m) => m.content);
}

describe('terminal chat (npm run chat) in a real terminal', function () {
  this.timeout(90000);
  let model: RunningOfflineModel | undefined;
  let terminal: TmuxTerminal | undefined;
  let dataDir: string | undefined;

  before(async function () {
    if (!(await TmuxTerminal.available())) {
      const message = 'tmux is missing: the terminal chat test needs it (apt-get install -y tmux).';
      if (process.env.CI === 'true') throw new Error(message);
      console.warn(`SKIPPED: ${message}`);
      this.skip();
    }
    // The model runs here, so the test sees its requests and whether they were aborted; the chat reaches it
    // as an OpenAI-compatible server. Slow enough to watch the answer grow and to stop it mid-way.
    model = await startOfflineModel({ timeToFirstTokenMs: 700, tokensPerSecond: 40 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'terminal-chat-'));
    const env = {
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
      OPENAI_BASE_URL: model.baseUrl,
      OPENAI_MODEL: 'test-model',
      LOG_LEVEL: 'info',
    };
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}`);
    terminal = await TmuxTerminal.start(
      `cd ${quote(REPO_ROOT)} && env ${assignments.join(' ')} node --no-deprecation build/src/surfaces/terminal/chatCli.js`,
    );
  });

  after(async () => {
    await terminal?.close();
    await model?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('streams answers with tool status and sources, keeps history, stops on Ctrl+C and quits on exit', async () => {
    assert.ok(terminal && model && dataDir);
    await terminal.waitFor((screen) => screen.includes('you> '), 'the prompt');

    // 1. A question: the tool shows as a one-line status, then the answer streams in, then its sources.
    await terminal.type('How do I connect to the VPN?');
    const status = await terminal.waitFor(
      (screen) => /⚙ search_knowledge \{"query":"How do I connect to the VPN\?"\}/.test(screen),
      'the tool status line',
    );
    assert.equal(count(status, 'assistant> '), 0, 'the status shows before the answer');
    const early = await terminal.waitFor((screen) => /assistant> \S+/.test(screen), 'the first words');
    const later = await terminal.waitFor(
      (screen) => screen.length > early.length + 40 && !screen.includes('Sources:'),
      'more words before the end',
    );
    assert.ok(!early.includes('Sources:'), 'the first words arrive before the answer is complete');
    assert.ok(later.length > early.length);
    const answered = await terminal.waitFor(
      (screen) => /prompt \+ \d+ completion tokens\)/.test(screen) && count(screen, 'you> ') === 2,
      'the end of the first answer',
    );
    assert.doesNotMatch(answered, /⚙ search_knowledge/, 'the status line is replaced by the answer');
    assert.match(answered, /Sources:\n {2}\[1\] Remote Work and VPN/);
    assert.match(answered, /\(\d+ prompt \+ \d+ completion tokens\)/, 'provider usage, not estimated');

    // Rating the last answer stores Teams-style feedback tied to it.
    await terminal.type('/dislike Too long');
    await terminal.waitFor(
      (screen) =>
        screen.includes('Thanks, your dislike was stored with the last answer.') &&
        count(screen, 'you> ') === 3,
      'the feedback confirmation',
    );

    // 2. A follow-up: the model sees the first question (history kept across questions).
    const before = model.requests.length;
    await terminal.type('Which port does it use?');
    await terminal.waitFor((screen) => count(screen, 'you> ') === 4, 'the end of the second answer');
    assert.deepEqual(userQuestions(model, before), [
      'How do I connect to the VPN?',
      'Which port does it use?',
    ]);

    // 3. Ctrl+C during an answer stops it: the model request is closed and the chat goes on.
    await terminal.type('Tell me everything about expenses');
    await terminal.waitFor(
      (screen) => count(screen, 'assistant> ') === 3 && /assistant> [^\n]*\S+\s*$/.test(screen),
      'the third answer starting',
    );
    await terminal.press('C-c');
    const stopped = await terminal.waitFor(
      (screen) => screen.includes('[stopped]') && count(screen, 'you> ') === 5,
      'the stopped answer and a new prompt',
    );
    assert.ok(await waitFor(() => model?.stats.aborted === 1, 2000), 'the model request was aborted');
    assert.equal(model.stats.open, 0);
    assert.doesNotMatch(stopped, /\[exited/, 'the chat is still running');

    await terminal.type('Thanks!');
    await terminal.waitFor((screen) => count(screen, 'you> ') === 6, 'an answer after the stop');

    // 4. exit quits.
    await terminal.type('exit');
    await terminal.waitFor((screen) => /Bye\.\n\[exited 0\]/.test(screen), 'the chat to quit');

    // The answers are in the bot's store under the terminal's own conversation, with their token usage.
    const db = openDatabase({ file: path.join(dataDir, 'bot.sqlite') });
    try {
      const conversationId = /conversation (terminal-[\w-]+)\)/.exec(answered)?.[1];
      assert.ok(conversationId);
      const feedback = await new SqliteFeedbackStore(db).list(10);
      assert.equal(feedback.length, 1);
      assert.equal(feedback[0]?.reaction, 'dislike');
      assert.equal(feedback[0]?.comment, 'Too long');
      assert.equal(feedback[0]?.conversationId, conversationId);
      assert.equal(feedback[0]?.answer?.question, 'How do I connect to the VPN?', 'tied to the first answer');
      const latest = await new SqliteFeedbackStore(db).latestAnswer({
        tenantId: SURFACE_TENANT_ID,
        conversationId,
      });
      assert.ok(latest?.usage && latest.usage.promptTokens > 0 && latest.usage.completionTokens > 0);
    } finally {
      db.close();
    }
  });
});
