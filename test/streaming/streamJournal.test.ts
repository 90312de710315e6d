import { strict as assert } from 'node:assert';
import type { Activity, TurnContext } from 'botbuilder';
import pino from 'pino';
import sinon from 'sinon';
import { TeamsStreamer, type StreamJournal, type StreamProgress } from '../../src/streaming';

type Entry = ['opened' | 'progressed', StreamProgress] | ['closed', string];

/** A journal that keeps its entries in order; `failWith` makes every entry reject. */
function recordingJournal(failWith?: Error): { journal: StreamJournal; entries: Entry[] } {
  const entries: Entry[] = [];
  const write = async (entry: Entry): Promise<void> => {
    entries.push(entry);
    if (failWith) throw failWith;
  };
  return {
    entries,
    journal: {
      opened: (progress) => write(['opened', progress]),
      progressed: (progress) => write(['progressed', progress]),
      closed: (streamId) => write(['closed', streamId]),
    },
  };
}

/** A context answering like the Bot Connector; `failAt` makes that send fail with the given error. */
function fakeContext(failAt?: { index: number; error: Error }): {
  context: TurnContext;
  sent: Partial<Activity>[];
} {
  const sent: Partial<Activity>[] = [];
  let attempts = 0;
  const context = {
    sendActivity: async (activity: Partial<Activity>) => {
      const index = attempts++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (failAt?.index === index) throw failAt.error;
      sent.push(activity);
      return { id: 'stream-1' };
    },
  } as unknown as TurnContext;
  return { context, sent };
}

function streamerFor(context: TurnContext, journal: StreamJournal, onCancelled?: () => void): TeamsStreamer {
  return new TeamsStreamer({
    context,
    mode: 'stream',
    logger: pino({ level: 'silent' }),
    sources: () => [],
    onCancelled,
    journal,
    partialNotice: '(cut short)',
    failureText: 'Sorry, no answer.',
    errorReference: (id) => `[ref ${id}]`,
  });
}

describe('TeamsStreamer records its open stream in the journal', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => clock.restore());

  it('opens on the first update (with the id Teams gave), records each sent update once, closes after the final', async () => {
    const { context, sent } = fakeContext();
    const { journal, entries } = recordingJournal();
    const streamer = streamerFor(context, journal);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    // Many tokens between two updates: one journal entry per sent update, none per token.
    for (const token of ['Use ', 'Global', 'Protect', '.']) streamer.queueTextChunk(token);
    await clock.tickAsync(1100);
    for (const token of [' Then ', 'sign ', 'in.']) streamer.queueTextChunk(token);
    await clock.tickAsync(1100);
    const outcome = streamer.endStream();
    await clock.tickAsync(1100);
    assert.equal((await outcome).kind, 'completed');
    assert.equal(sent.length, 4, 'informative, two updates, the final');
    assert.deepEqual(entries, [
      ['opened', { streamId: 'stream-1', shownText: '', streamSequence: 1 }],
      ['progressed', { streamId: 'stream-1', shownText: 'Use GlobalProtect.', streamSequence: 2 }],
      [
        'progressed',
        { streamId: 'stream-1', shownText: 'Use GlobalProtect. Then sign in.', streamSequence: 3 },
      ],
      ['closed', 'stream-1'],
    ]);
  });

  it('closes when the user pressed Stop, and records nothing after it', async () => {
    const stop = Object.assign(new Error('Content stream was canceled by user.'), {
      statusCode: 403,
      code: 'ContentStreamNotAllowed',
    });
    const { context } = fakeContext({ index: 1, error: stop });
    const { journal, entries } = recordingJournal();
    const streamer = streamerFor(context, journal);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueTextChunk('Partial answer');
    await clock.tickAsync(1100);
    streamer.queueTextChunk(' and more');
    const outcome = streamer.endStream();
    await clock.tickAsync(3000);
    assert.equal((await outcome).kind, 'cancelled');
    assert.deepEqual(entries, [
      ['opened', { streamId: 'stream-1', shownText: '', streamSequence: 1 }],
      ['closed', 'stream-1'],
    ]);
  });

  it('closes when an update failed and the rest went out as an ordinary message', async () => {
    const { context } = fakeContext({
      index: 1,
      error: Object.assign(new Error('Bad'), { statusCode: 400 }),
    });
    const { journal, entries } = recordingJournal();
    const streamer = streamerFor(context, journal);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueTextChunk('First part.');
    await clock.tickAsync(1100);
    assert.deepEqual(entries.at(-1), ['closed', 'stream-1'], 'closed as soon as the stream broke');
    const outcome = streamer.endStream();
    await clock.tickAsync(3000);
    await outcome;
    assert.equal(entries.filter(([kind]) => kind === 'closed').length, 1);
  });

  it('answers normally when the journal fails (the failure is logged, not thrown)', async () => {
    const { context, sent } = fakeContext();
    const { journal, entries } = recordingJournal(new Error('database unavailable'));
    const streamer = streamerFor(context, journal);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(20);
    streamer.queueTextChunk('An answer.');
    await clock.tickAsync(1100);
    const outcome = streamer.endStream();
    await clock.tickAsync(1100);
    assert.equal((await outcome).kind, 'completed');
    assert.equal(sent.at(-1)?.text, 'An answer.');
    assert.deepEqual(
      entries.map(([kind]) => kind),
      ['opened', 'progressed', 'closed'],
    );
  });
});
