import { strict as assert } from 'node:assert';
import path from 'node:path';
import type { PromptCompletionModel, TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  MemoryStorage,
  type Storage,
  type StoreItems,
  TestAdapter,
  TurnContext,
} from 'botbuilder';
import pino from 'pino';
import { createBotApplication } from '../../src/turn/createApplication';
import { openDatabase, SqliteFeedbackStore, type Db } from '../../src/storage';
import { REPO_ROOT } from '../support/testBot';

const logger = pino({ level: 'silent' });

/** A model that fails at once: these tests are about what happens before and around it. */
const failingModel: PromptCompletionModel = {
  completePrompt: () => Promise.reject(new Error('no model in this test')),
};

/** Turn state storage whose reads wait until the test lets them go (or fail, when told to). */
class HeldStorage implements Storage {
  private readonly inner = new MemoryStorage();
  private letGo: () => void = () => undefined;
  private readonly held = new Promise<void>((resolve) => {
    this.letGo = resolve;
  });
  failReads = false;

  constructor(private readonly log: string[]) {}

  async read(keys: string[]): Promise<StoreItems> {
    this.log.push('state read');
    await this.held;
    if (this.failReads) throw new Error('the database is restarting');
    return this.inner.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  release(): void {
    this.letGo();
  }
}

/** A Teams message turn whose sends are logged (type and stream type) as they leave. */
function messageTurn(adapter: TestAdapter, text: string, log: string[]): TurnContext {
  const context = new TurnContext(adapter, {
    type: 'message',
    id: 'inbound-1',
    channelId: 'msteams',
    locale: 'en-US',
    text,
    conversation: { id: 'a:1', isGroup: false, name: '', conversationType: 'personal', tenantId: 't-1' },
    channelData: { tenant: { id: 't-1' } },
    from: { id: '29:dana', name: 'Dana', aadObjectId: 'aad-dana' },
    recipient: { id: '28:bot', name: 'Assistant' },
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
  });
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities)
      log.push(`sent ${activity.type} ${streamTypeOf(activity) ?? ''}`.trim());
    return next();
  });
  return context;
}

function streamTypeOf(activity: Partial<Activity>): string | undefined {
  const info = activity.entities?.find((entity) => entity.type === 'streaminfo') as
    { streamType?: string } | undefined;
  return info?.streamType;
}

/** Lets the event loop run a bounded number of iterations (no timers: nothing here waits on time). */
async function iterations(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('admission: the informative update goes out before the turn’s state is loaded', () => {
  let db: Db;
  let log: string[];
  let storage: HeldStorage;
  let adapter: TestAdapter;
  let app: ReturnType<typeof createBotApplication>;

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
    log = [];
    storage = new HeldStorage(log);
    adapter = new TestAdapter();
    app = createBotApplication({
      adapter: adapter as unknown as TeamsAdapter,
      botAppId: undefined,
      storage,
      model: failingModel,
      offlineModel: true,
      promptsFolder: path.join(REPO_ROOT, 'prompts'),
      tools: [],
      toolValidators: new Map(),
      feedbackStore: new SqliteFeedbackStore(db),
      logger,
    });
  });
  afterEach(() => {
    // A failing test must not leave a turn waiting on the held storage.
    storage.release();
    db.close();
  });

  it('sends the informative update while the state load is still waiting', async () => {
    const running = app.run(messageTurn(adapter, 'How do I reset my VPN token?', log));
    await iterations(20);
    assert.deepEqual(log, ['sent typing informative', 'state read'], 'informative first, state load after');
    storage.release();
    assert.equal(await running, true);
    assert.equal(
      log.at(-1),
      'sent message final',
      'the turn ends with its final message (a polite failure here)',
    );
  });

  it('ends the opened stream with a polite final message when the state cannot be loaded', async () => {
    storage.failReads = true;
    const context = messageTurn(adapter, 'What is on my plate?', log);
    const running = app.run(context);
    await iterations(20);
    storage.release();
    assert.equal(await running, true, 'handled: the failure is told to the user by the stream');
    assert.deepEqual(log, ['sent typing informative', 'state read', 'sent message final']);
    const final = adapter.activeQueue.at(-1);
    assert.equal(streamTypeOf(final ?? {}), 'final', 'the informative bubble is closed, not left open');
    assert.match(final?.text ?? '', /sorry|could not|couldn/i);
  });

  it('opens no answer for a help request or another activity type', async () => {
    storage.release();
    await app.run(messageTurn(adapter, 'help', log));
    assert.deepEqual(log, ['state read', 'sent message'], 'the welcome text, with no informative update');
  });
});
