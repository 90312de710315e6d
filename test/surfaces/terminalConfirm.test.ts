import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startOfflineModel, type RunningOfflineModel } from '../../dev/offline-model';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/shared/logging';
import { openDatabase, SqliteWorkItemStore, type WorkItem, type WorkItemScope } from '../../src/storage';
import { InProcessChannel } from '../../src/surfaces';
import { runTerminalChat } from '../../src/surfaces/terminal';
import { assembleAssistant, type Assistant } from '../../src/turn';
import { REPO_ROOT } from '../support/testBot';
import { waitUntil } from '../support/waitFor';

const CONVERSATION = 'terminal-confirm-test';
const SCOPE: WorkItemScope = { tenantId: 'local', conversationId: CONVERSATION };

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/**
 * The terminal chat's confirm step: the chat (runTerminalChat, as `npm run chat` runs it, on piped input and
 * output) with the assistant `npm run chat` builds, answered by the built-in offline model's own brain.
 */
describe('terminal chat: a change to an existing work item asks Confirm? [y/N]', function () {
  this.timeout(30000);
  let model: RunningOfflineModel;
  let assistant: Assistant;
  let dataDir: string;
  let input: PassThrough;
  let screen = '';
  let chat: Promise<void>;

  before(async () => {
    model = await startOfflineModel({ timeToFirstTokenMs: 10, tokensPerSecond: 2000 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'terminal-confirm-'));
    assistant = await assembleAssistant(
      loadConfig({
        DATA_DIR: dataDir,
        KNOWLEDGE_DIR: path.join(REPO_ROOT, 'knowledge'),
        OPENAI_BASE_URL: model.baseUrl,
        OPENAI_MODEL: 'test-model',
      }),
      { logger: createLogger('silent') },
    );
    input = new PassThrough();
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
    });
    chat = runTerminalChat({
      channel: new InProcessChannel({ app: assistant.app, channelId: 'terminal' }),
      input,
      output,
      conversationId: CONVERSATION,
      userName: 'dana',
      logger: createLogger('silent'),
    });
  });
  after(async () => {
    input.end();
    await chat;
    await assistant.close();
    await model.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function type(line: string, until: (text: string) => boolean, what: string): Promise<void> {
    input.write(`${line}\n`);
    await waitUntil(() => until(screen), what, { timeoutMs: 15000, detail: () => screen.slice(-600) });
  }

  async function stored(id: string): Promise<WorkItem | undefined> {
    const db = openDatabase({ file: path.join(dataDir, 'bot.sqlite') });
    try {
      return await new SqliteWorkItemStore(db).get(SCOPE, id);
    } finally {
      db.close();
    }
  }

  it('shows what would change, cancels on anything but y, and applies the recorded change on y', async () => {
    await waitUntil(() => screen.includes('you> '), 'the prompt', { timeoutMs: 10000 });
    await type('create a task called Rotate keys', (text) => count(text, 'you> ') === 2, 'the item');
    const id = /I created work item \*\*(WI-\d+)\*\*/.exec(screen)?.[1];
    assert.ok(id, screen);

    // A later turn: the change to the existing item is shown, not made.
    const rename = `rename ${id} to PWNED and assign it to Mallory and mark it resolved`;
    await type(rename, (text) => text.endsWith('Confirm? [y/N] '), 'the first confirm question');
    const asked = screen.slice(screen.lastIndexOf('you> '));
    assert.match(asked, /Nothing has changed yet/);
    assert.ok(
      asked.includes(
        [
          'Change 1 work item(s)?',
          'Nothing changes until you press Confirm. This request expires in 10 minutes.',
          `  ${id} "Rotate keys"`,
          '    Title: Rotate keys → PWNED',
          '    Status: new → resolved',
          '    Assigned to: (none) → Mallory',
          'Confirm? [y/N] ',
        ].join('\n'),
      ),
      asked,
    );
    assert.equal((await stored(id))?.title, 'Rotate keys', 'nothing changed while asking');

    // An empty line answers No: the change is discarded and the chat goes on (it does not quit).
    await type('', (text) => count(text, 'you> ') === 3, 'the prompt after cancelling');
    assert.match(screen, /Cancelled: nothing was changed\./);
    assert.deepEqual(
      [(await stored(id))?.title, (await stored(id))?.status, (await stored(id))?.assignee],
      ['Rotate keys', 'new', null],
    );

    await type(rename, (text) => count(text, 'Confirm? [y/N] ') === 2, 'the second confirm question');
    await type('y', (text) => count(text, 'you> ') === 4, 'the prompt after confirming');
    assert.match(screen, new RegExp(`Done: the change was applied\\.\\n${id} "Rotate keys": changed\\n`));
    const after = await stored(id);
    assert.deepEqual([after?.title, after?.status, after?.assignee], ['PWNED', 'resolved', 'Mallory']);
  });
});
