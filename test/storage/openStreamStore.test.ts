import { strict as assert } from 'node:assert';
import type { OpenStream } from '../../src/storage';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

function stream(overrides: Partial<OpenStream> = {}): OpenStream {
  return {
    streamId: 'stream-1',
    conversationId: 'conv-1',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    tenantId: 'tenant-1',
    reference: { conversation: { id: 'conv-1' }, bot: { id: 'bot-1' }, channelId: 'msteams' },
    locale: 'de-DE',
    startedAt: 1_000,
    shownText: '',
    streamSequence: 1,
    ownerId: 'host/1/aaaa',
    updatedAt: 1_000,
    ...overrides,
  };
}

describeEachBackend('OpenStreamStore', (backend) => {
  let db: TestBackend;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.close();
  });

  it('records a stream, its progress, and forgets it when closed', async () => {
    const store = db.openStreams;
    await store.opened(stream());
    await store.progressed({
      streamId: 'stream-1',
      conversationId: 'conv-1',
      shownText: 'Install GlobalProtect',
      streamSequence: 3,
      updatedAt: 4_000,
    });
    assert.deepEqual(await store.othersStreams('host/2/bbbb'), [
      stream({ shownText: 'Install GlobalProtect', streamSequence: 3, updatedAt: 4_000 }),
    ]);
    assert.deepEqual(await store.othersStreams('host/1/aaaa'), [], "an owner's own streams are not others'");
    await store.closed('conv-1', 'stream-1');
    assert.deepEqual(await store.othersStreams('host/2/bbbb'), []);
  });

  it("renews one owner's leases only", async () => {
    const store = db.openStreams;
    await store.opened(stream());
    await store.opened(stream({ streamId: 'stream-2', conversationId: 'conv-2' }));
    await store.opened(stream({ streamId: 'stream-3', ownerId: 'host/9/cccc' }));
    assert.equal(await store.renewLeases('host/1/aaaa', 9_000), 2);
    const rows = await store.othersStreams('nobody');
    assert.deepEqual(rows.map((row) => [row.streamId, row.updatedAt]).sort(), [
      ['stream-1', 9_000],
      ['stream-2', 9_000],
      ['stream-3', 1_000],
    ]);
  });

  it('lets exactly one caller claim a stream, and none after its owner renewed the lease', async () => {
    const store = db.openStreams;
    await store.opened(stream());
    await store.opened(stream({ streamId: 'stream-2' }));
    const [first, second] = await store.othersStreams('me');
    const claims = await Promise.all([store.claim(first), store.claim(first)]);
    assert.deepEqual(claims.sort(), [false, true]);
    await store.renewLeases('host/1/aaaa', 2_000);
    assert.equal(await store.claim(second), false, 'the owner is alive: its renewed row is not taken');
    assert.deepEqual(
      (await store.othersStreams('me')).map((row) => row.streamId),
      ['stream-2'],
    );
  });
});
