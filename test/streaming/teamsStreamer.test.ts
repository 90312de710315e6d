import { strict as assert } from 'node:assert';
import type { Activity, TurnContext } from 'botbuilder';
import pino from 'pino';
import sinon from 'sinon';
import { TeamsStreamer, type StreamMode } from '../../src/streaming';
import { capturingLogger } from '../support/capturingLogger';

interface Sent {
  at: number;
  activity: Partial<Activity>;
}

/** A TurnContext whose sendActivity records what is sent and answers like the Bot Connector after `latencyMs`. */
function fakeContext(options: {
  latencyMs?: number;
  fail?: (activity: Partial<Activity>, index: number) => Error | undefined;
}) {
  const sent: Sent[] = [];
  let attempts = 0;
  const context = {
    sendActivity: async (activity: Partial<Activity>) => {
      const index = attempts++;
      await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 50));
      const failure = options.fail?.(activity, index);
      if (failure) throw failure;
      sent.push({ at: Date.now(), activity });
      return { id: 'stream-1' };
    },
  } as unknown as TurnContext;
  return { context, sent };
}

function streamerFor(
  context: TurnContext,
  mode: StreamMode = 'stream',
  onCancelled?: () => void,
  logger: pino.Logger = pino({ level: 'silent' }),
) {
  return new TeamsStreamer({
    context,
    mode,
    logger,
    sources: () => [{ position: 1, title: 'VPN guide', text: 'Install GlobalProtect and sign in with MFA.' }],
    onCancelled,
    partialNotice: '(cut short)',
    failureText: 'Sorry, no answer.',
    errorReference: (id) => `[ref ${id}]`,
  });
}

const streamType = (sent: Sent) =>
  (
    sent.activity.entities?.find((entity) => entity.type === 'streaminfo') as
      { streamType?: string } | undefined
  )?.streamType;

describe('TeamsStreamer', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  it('sends the informative update at once, then waits one second after it before the first text', async () => {
    const { context, sent } = fakeContext({ latencyMs: 50 });
    const streamer = streamerFor(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(100);
    streamer.queueTextChunk('Hello');
    await clock.tickAsync(500);
    assert.equal(sent.length, 1, 'nothing more within the second after the informative update');
    await clock.tickAsync(600);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].activity.text, 'Hello');
    assert.ok(sent[1].at - sent[0].at >= 1000);
  });

  it('merges text that arrives while waiting into one cumulative update', async () => {
    const { context, sent } = fakeContext({ latencyMs: 10 });
    const streamer = streamerFor(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    for (const word of ['One ', 'two ', 'three ', 'four']) {
      streamer.queueTextChunk(word);
      await clock.tickAsync(100);
    }
    await clock.tickAsync(2000);
    const updates = sent.filter((item) => streamType(item) === 'streaming');
    assert.deepEqual(
      updates.map((item) => item.activity.text),
      ['One two three four'],
    );
    assert.equal((updates[0].activity.channelData as { streamSequence: number }).streamSequence, 2);
  });

  it('sends the final message one second after the last update, with the stream id, AI label and citations', async () => {
    const { context, sent } = fakeContext({ latencyMs: 10 });
    const streamer = streamerFor(context);
    streamer.setFeedbackLoop(true);
    streamer.setGeneratedByAILabel(true);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueTextChunk('Use GlobalProtect [1].');
    await clock.tickAsync(1100);
    const ended = streamer.endStream();
    await clock.tickAsync(500);
    assert.equal(sent.length, 2, 'the final waits for its slot');
    await clock.tickAsync(600);
    const outcome = await ended;
    assert.equal(outcome.kind, 'completed');
    const final = sent[2];
    assert.ok(final.at - sent[1].at >= 1000);
    assert.equal(final.activity.type, 'message');
    assert.equal(final.activity.text, 'Use GlobalProtect [1].');
    assert.deepEqual(final.activity.channelData, {
      streamType: 'final',
      streamId: 'stream-1',
      feedbackLoop: { type: 'default' },
    });
    const ai = final.activity.entities?.find(
      (entity) => entity.type === 'https://schema.org/Message',
    ) as unknown as {
      additionalType: string[];
      citation: Array<{ position: number; appearance: { name: string } }>;
    };
    assert.deepEqual(ai.additionalType, ['AIGeneratedContent']);
    assert.deepEqual(
      ai.citation.map((citation) => [citation.position, citation.appearance.name]),
      [[1, 'VPN guide']],
    );
    streamer.queueTextChunk('late text');
    await clock.tickAsync(5000);
    assert.equal(sent.length, 3, 'nothing is sent after the final message');
  });

  it('stops at once when the user presses Stop (403 canceled by user) and never sends a final message', async () => {
    const cancelled = sinon.spy();
    const { context, sent } = fakeContext({
      latencyMs: 10,
      fail: (_activity, index) =>
        index === 1
          ? Object.assign(new Error('Content stream was canceled by user.'), {
              statusCode: 403,
              code: 'ContentStreamNotAllowed',
            })
          : undefined,
    });
    const streamer = streamerFor(context, 'stream', cancelled);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueTextChunk('Partial answer');
    await clock.tickAsync(1100);
    assert.equal(cancelled.callCount, 1);
    assert.equal(streamer.isCancelled, true);
    streamer.queueTextChunk(' and more');
    const outcome = streamer.endStream();
    await clock.tickAsync(3000);
    assert.deepEqual(
      await outcome,
      { kind: 'cancelled', shownText: '' },
      'the rejected update was never shown',
    );
    assert.equal(sent.length, 1, 'only the informative update went out');
  });

  it('falls back to one ordinary message when a streaming update fails for another reason', async () => {
    const { context, sent } = fakeContext({
      latencyMs: 10,
      fail: (_activity, index) =>
        index === 1 ? Object.assign(new Error('Bad Gateway'), { statusCode: 400 }) : undefined,
    });
    const streamer = streamerFor(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueTextChunk('First part. ');
    await clock.tickAsync(1100);
    streamer.queueTextChunk('Second part.');
    await clock.tickAsync(3000);
    assert.equal(sent.length, 1, 'no more updates after the failure');
    const outcome = streamer.endStream();
    await clock.tickAsync(2000);
    const result = await outcome;
    assert.equal(result.kind, 'failed');
    const final = sent.at(-1)!.activity;
    assert.equal(final.type, 'message');
    assert.equal(final.text, 'First part. Second part.');
    assert.equal(
      final.entities?.find((entity) => entity.type === 'streaminfo'),
      undefined,
    );
  });

  it('sends a single final message and no updates in a group chat', async () => {
    const { context, sent } = fakeContext({ latencyMs: 10 });
    const streamer = streamerFor(context, 'single');
    streamer.setFeedbackLoop(true);
    streamer.setGeneratedByAILabel(true);
    streamer.setAttachments([{ contentType: 'application/vnd.microsoft.card.adaptive', content: {} }]);
    streamer.queueInformativeUpdate('Thinking...');
    streamer.queueTextChunk('Answer [1]');
    await clock.tickAsync(3000);
    assert.equal(sent.length, 0);
    const outcome = streamer.endStream();
    await clock.tickAsync(100);
    assert.equal((await outcome).kind, 'completed');
    assert.equal(sent.length, 1);
    const only = sent[0].activity;
    assert.equal(only.type, 'message');
    assert.equal(only.text, 'Answer [1]');
    assert.deepEqual(only.channelData, { feedbackLoop: { type: 'default' } });
    assert.equal(only.attachments?.length, 1);
  });

  it('keeps partial text and adds a notice with the error id of the failure’s log line when the model fails after it started answering', async () => {
    const { context, sent } = fakeContext({ latencyMs: 10 });
    const { logger, lines } = capturingLogger();
    const streamer = streamerFor(context, 'stream', undefined, logger);
    streamer.queueTextChunk('Half an answer');
    streamer.noteModelFailure(new Error('socket hang up'));
    streamer.noteModelFailure(new Error('a second failure of the same turn'));
    const outcome = streamer.endStream();
    await clock.tickAsync(3000);
    const result = await outcome;
    assert.equal(result.kind, 'failed');
    const text = sent.at(-1)!.activity.text!;
    const id = /^Half an answer\n\n\(cut short\) \[ref ([0-9a-f]{8})\]$/.exec(text)?.[1];
    assert.ok(id, `the notice carries an 8-hex error id: ${JSON.stringify(text)}`);
    const logged = lines.filter((line) => line.errorId !== undefined);
    assert.equal(logged.length, 1, 'one failure line');
    assert.equal(logged[0].errorId, id, 'the log line carries the id the user saw');
    assert.equal(logged[0].level, 50);
    assert.match(String((logged[0].err as { message?: unknown }).message), /socket hang up/);
    assert.ok(!text.includes('socket hang up'), 'no error detail reaches the user');
  });

  it('apologises instead of sending an empty final message when the model failed before writing', async () => {
    const { context, sent } = fakeContext({ latencyMs: 10 });
    const streamer = streamerFor(context);
    streamer.queueInformativeUpdate('Thinking...');
    streamer.noteModelFailure(new Error('500'));
    const outcome = streamer.endStream();
    await clock.tickAsync(3000);
    assert.equal((await outcome).kind, 'failed');
    assert.match(sent.at(-1)!.activity.text!, /^Sorry, no answer\. \[ref [0-9a-f]{8}\]$/);
  });
});

describe('TeamsStreamer informative updates', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 2_000_000 });
  });
  afterEach(() => clock.restore());

  it('replaces the informative text with a later one, but shows none once text has started', async () => {
    const { context, sent } = fakeContext({ latencyMs: 10 });
    const streamer = streamerFor(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueInformativeUpdate('Searching the knowledge base...');
    await clock.tickAsync(1100);
    streamer.queueTextChunk('Answer');
    await clock.tickAsync(1100);
    streamer.queueInformativeUpdate('Creating the work item...');
    await clock.tickAsync(2000);
    assert.deepEqual(
      sent.map((item) => [streamType(item), item.activity.text]),
      [
        ['informative', 'Thinking...'],
        ['informative', 'Searching the knowledge base...'],
        ['streaming', 'Answer'],
      ],
    );
  });
});
