import { strict as assert } from 'node:assert';
import path from 'node:path';
import {
  AI,
  type PredictedSayCommand,
  type PromptCompletionModel,
  type TeamsAdapter,
  TurnState,
} from '@microsoft/teams-ai';
import { type Activity, MemoryStorage, TestAdapter, TurnContext } from 'botbuilder';
import pino from 'pino';
import { createBotApplication } from '../../src/turn/createApplication';
import { runTurn, Turn } from '../../src/turn/turn';
import { turnStreamOf } from '../../src/turn/turnStreams';
import { openDatabase, SqliteFeedbackStore, type Db } from '../../src/storage';
import { TeamsStreamer } from '../../src/streaming';
import { REPO_ROOT } from '../support/testBot';

const logger = pino({ level: 'silent' });

/** A model that is never called: these tests run the SAY action alone. */
const unusedModel: PromptCompletionModel = {
  completePrompt: () => Promise.reject(new Error('the model is not called in this test')),
};

/** A Copilot Chat turn whose stream sends through a recording stub connector. */
function copilotTurn(): {
  context: TurnContext;
  turn: Turn;
  streamer: TeamsStreamer;
  sent: Partial<Activity>[];
} {
  const adapter = new TestAdapter();
  const context = new TurnContext(adapter, {
    type: 'message',
    channelId: 'msteams:Copilot',
    locale: 'en-US',
    text: 'Hello',
    conversation: { id: 'a:copilot', isGroup: false, name: '', conversationType: 'personal' },
    from: { id: '29:dana', name: 'Dana' },
    recipient: { id: '28:bot', name: 'Assistant' },
  });
  const sent: Partial<Activity>[] = [];
  const connector = {
    sendActivity: (activity: Partial<Activity>) => {
      sent.push(activity);
      return Promise.resolve({ id: `sent-${sent.length}` });
    },
  } as unknown as TurnContext;
  const streamer = new TeamsStreamer({ context: connector, mode: 'single', logger, sources: () => [] });
  streamer.setFeedbackLoop(true);
  streamer.setGeneratedByAILabel(true);
  const turn = new Turn({
    scope: { tenantId: 't', conversationId: 'a:copilot' },
    locale: 'en-US',
    question: 'Hello',
    logger,
    openStream: () => turnStreamOf(streamer),
  });
  return { context, turn, streamer, sent };
}

function say(content: string): PredictedSayCommand {
  return { type: 'SAY', response: { role: 'assistant', content } };
}

describe('the SAY action (an answer that arrives whole, not streamed)', () => {
  let db: Db;
  let app: ReturnType<typeof createBotApplication>;

  beforeEach(() => {
    db = openDatabase({ file: ':memory:' });
    app = createBotApplication({
      adapter: new TestAdapter() as unknown as TeamsAdapter,
      botAppId: undefined,
      storage: new MemoryStorage(),
      model: unusedModel,
      offlineModel: true,
      promptsFolder: path.join(REPO_ROOT, 'prompts'),
      tools: [],
      toolValidators: new Map(),
      feedbackStore: new SqliteFeedbackStore(db),
      logger,
    });
  });
  afterEach(() => db.close());

  it('goes into the turn’s stream on msteams:Copilot: one final message with AI label and feedback flag', async () => {
    const { context, turn, streamer, sent } = copilotTurn();
    const output = await runTurn(turn, () =>
      app.ai.doAction(context, new TurnState(), AI.SayCommandActionName, say('Line one\nLine two')),
    );
    assert.equal(output, '');
    assert.equal(streamer.getMessage(), 'Line one\nLine two', 'the text is the stream’s');
    const outcome = await streamer.endStream();
    assert.equal(outcome.kind, 'completed');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].text, 'Line one\nLine two');
    assert.deepEqual(sent[0].channelData, { feedbackLoop: { type: 'default' } });
    const ai = sent[0].entities?.find((entity) => entity.type === 'https://schema.org/Message');
    assert.deepEqual((ai as { additionalType?: string[] } | undefined)?.additionalType, [
      'AIGeneratedContent',
    ]);
    assert.equal(
      (context.adapter as TestAdapter).activeQueue.length,
      0,
      'nothing went out past the stream (teams-ai’s default SAY would send a message without feedback flag)',
    );
  });

  it('does nothing for an empty SAY (the streaming model already streamed the answer)', async () => {
    const { context, turn, streamer } = copilotTurn();
    await runTurn(turn, () => app.ai.doAction(context, new TurnState(), AI.SayCommandActionName, say('')));
    assert.equal(streamer.getMessage(), '');
    assert.equal((context.adapter as TestAdapter).activeQueue.length, 0);
  });
});
