import { strict as assert } from 'node:assert';
import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import {
  OPEN_STREAM_LEASE,
  startAbandonedStreamCloser,
  type AbandonedStreamCloser,
  type ProactiveAdapter,
} from '../../src/server/abandonedStreams';
import { translate } from '../../src/shared/i18n';
import type { Clock } from '../../src/shared/time';
import type { OpenStream } from '../../src/storage';
import { capturingLogger } from '../support/capturingLogger';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

interface ProactiveSend {
  botAppId: string;
  reference: Partial<ConversationReference>;
  activity: Partial<Activity>;
}

/** An adapter whose proactive sends are recorded (or fail with `failWith`). */
function fakeAdapter(failWith?: Error): { adapter: ProactiveAdapter; sends: ProactiveSend[] } {
  const sends: ProactiveSend[] = [];
  return {
    sends,
    adapter: {
      continueConversationAsync: async (botAppId, reference, logic) => {
        const context = {
          sendActivity: async (activity: Partial<Activity>) => {
            if (failWith) throw failWith;
            sends.push({ botAppId, reference, activity });
            return { id: 'x' };
          },
        } as unknown as TurnContext;
        await logic(context);
      },
    },
  };
}

const NOW = 10_000_000;
const clock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };

function stream(overrides: Partial<OpenStream>): OpenStream {
  return {
    streamId: 'stream-1',
    conversationId: 'conv-1',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    tenantId: 'tenant-1',
    reference: { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' },
    locale: 'de-DE',
    startedAt: NOW - 30_000,
    shownText: 'Installieren Sie GlobalProtect',
    streamSequence: 4,
    ownerId: 'host/1/dead',
    updatedAt: NOW - OPEN_STREAM_LEASE.expiresAfterMs,
    ...overrides,
  };
}

describeEachBackend('closing the streams a dead process left open', (backend) => {
  let db: TestBackend;
  const closers: AbandonedStreamCloser[] = [];

  function start(adapter: ProactiveAdapter, ownerId = 'host/2/alive', logger = capturingLogger().logger) {
    const closer = startAbandonedStreamCloser({
      store: db.openStreams,
      adapter,
      botAppId: 'bot-app-id',
      ownerId,
      logger,
      clock,
    });
    closers.push(closer);
    return closer;
  }

  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    for (const closer of closers.splice(0)) await closer.stop();
    await db.close();
  });

  it('sends the final message (what the user saw and the localized notice) to a stream whose lease expired', async () => {
    await db.openStreams.opened(stream({}));
    const { adapter, sends } = fakeAdapter();
    const log = capturingLogger();
    const summary = await start(adapter, 'host/2/alive', log.logger).firstTick;
    assert.deepEqual(summary, { closed: 1, expired: 0, failed: 0, skipped: 0 });
    assert.equal(sends.length, 1);
    const [{ botAppId, reference, activity }] = sends;
    assert.equal(botAppId, 'bot-app-id');
    assert.deepEqual(reference, stream({}).reference);
    assert.equal(activity.type, 'message');
    assert.equal(
      activity.text,
      `Installieren Sie GlobalProtect\n\n${translate('de-DE', 'notice.interrupted')}`,
    );
    assert.deepEqual(activity.channelData, { streamType: 'final', streamId: 'stream-1' });
    assert.deepEqual(
      activity.entities?.find((entity) => entity.type === 'streaminfo'),
      { type: 'streaminfo', streamType: 'final', streamId: 'stream-1' },
    );
    assert.deepEqual(await db.openStreams.othersStreams('anyone'), [], 'the row is gone');
    assert.ok(log.lines.some((line) => line.msg === 'abandoned open streams handled' && line.closed === 1));
  });

  it('leaves a stream alone while its owner keeps the lease', async () => {
    await db.openStreams.opened(stream({ updatedAt: NOW - OPEN_STREAM_LEASE.expiresAfterMs + 1 }));
    const { adapter, sends } = fakeAdapter();
    assert.deepEqual(await start(adapter).firstTick, { closed: 0, expired: 0, failed: 0, skipped: 0 });
    assert.equal(sends.length, 0);
    assert.equal((await db.openStreams.othersStreams('anyone')).length, 1);
  });

  it("renews its own streams' leases and never closes them", async () => {
    await db.openStreams.opened(stream({ ownerId: 'host/2/alive', updatedAt: NOW - 60_000 }));
    const { adapter, sends } = fakeAdapter();
    await start(adapter, 'host/2/alive').firstTick;
    assert.equal(sends.length, 0);
    const [row] = await db.openStreams.othersStreams('anyone');
    assert.equal(row.updatedAt, NOW, 'renewed');
  });

  it('only forgets a stream older than Teams keeps one open', async () => {
    await db.openStreams.opened(stream({ startedAt: NOW - OPEN_STREAM_LEASE.closableForMs }));
    const { adapter, sends } = fakeAdapter();
    assert.deepEqual(await start(adapter).firstTick, { closed: 0, expired: 1, failed: 0, skipped: 0 });
    assert.equal(sends.length, 0);
    assert.deepEqual(await db.openStreams.othersStreams('anyone'), []);
  });

  it('closes each stream once when two processes sweep at the same time', async () => {
    await db.openStreams.opened(stream({}));
    await db.openStreams.opened(stream({ streamId: 'stream-2', conversationId: 'conv-2' }));
    const first = fakeAdapter();
    const second = fakeAdapter();
    const other = await db.reconnect();
    try {
      const closerA = start(first.adapter, 'host/2/a');
      const closerB = startAbandonedStreamCloser({
        store: other.openStreams,
        adapter: second.adapter,
        botAppId: 'bot-app-id',
        ownerId: 'host/3/b',
        logger: capturingLogger().logger,
        clock,
      });
      closers.push(closerB);
      await Promise.all([closerA.firstTick, closerB.firstTick]);
      const sent = [...first.sends, ...second.sends].map(
        (send) => (send.activity.channelData as { streamId?: string } | undefined)?.streamId,
      );
      assert.deepEqual(sent.sort(), ['stream-1', 'stream-2']);
    } finally {
      await other.disconnect();
    }
  });

  it('logs a send that fails and forgets the stream (Teams closes it itself)', async () => {
    await db.openStreams.opened(stream({}));
    const { adapter } = fakeAdapter(Object.assign(new Error('Forbidden'), { statusCode: 403 }));
    const log = capturingLogger();
    assert.deepEqual(await start(adapter, 'host/2/alive', log.logger).firstTick, {
      closed: 0,
      expired: 0,
      failed: 1,
      skipped: 0,
    });
    assert.ok(log.lines.some((line) => line.level === 40 && /could not close/.test(String(line.msg))));
    assert.deepEqual(await db.openStreams.othersStreams('anyone'), []);
  });
});
