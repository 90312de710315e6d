import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { INBOUND_ACTIVITY_WINDOW_MS } from '../../src/storage';
import { systemClock } from '../../src/shared/time';
import { describeEachBackend, type TestBackend } from '../support/storageBackends';

describeEachBackend('inbound activity ids shared through the database', (backendUnderTest) => {
  let clock: sinon.SinonFakeTimers;
  const opened: TestBackend[] = [];

  async function open(): Promise<TestBackend> {
    const backend = await backendUnderTest.open({ clock: systemClock });
    opened.push(backend);
    return backend;
  }

  beforeEach(() => {
    // Only Date is faked: the PostgreSQL driver needs real timers.
    clock = sinon.useFakeTimers({ now: Date.UTC(2026, 0, 5, 9), toFake: ['Date'] });
  });

  afterEach(async () => {
    clock.restore();
    for (const backend of opened.splice(0)) await backend.close();
  });

  it('says an id is new once and a repeat afterwards, per conversation', async () => {
    const { activityIds } = await open();
    assert.equal(await activityIds.markSeen('chat-1', 'a1'), false);
    assert.equal(await activityIds.markSeen('chat-1', 'a1'), true);
    assert.equal(await activityIds.markSeen('chat-2', 'a1'), false, 'another conversation, another activity');
    assert.equal(await activityIds.markSeen(undefined, 'a1'), false);
    assert.equal(await activityIds.markSeen(undefined, 'a1'), true);
  });

  it('never records an activity without an id', async () => {
    const backend = await open();
    assert.equal(await backend.activityIds.markSeen('chat-1', undefined), false);
    assert.equal(await backend.activityIds.markSeen('chat-1', ''), false);
    assert.deepEqual(await backend.rows('SELECT * FROM inbound_activities'), []);
  });

  it('recognises a repeat that reaches another connection (another bot process)', async () => {
    const first = await open();
    const second = await first.reconnect();
    opened.push(second);
    assert.equal(await first.activityIds.markSeen('chat-1', 'a1'), false);
    assert.equal(await second.activityIds.markSeen('chat-1', 'a1'), true);
  });

  it('lets exactly one of many simultaneous marks of the same id through', async () => {
    const first = await open();
    const second = await first.reconnect();
    opened.push(second);
    const marks = await Promise.all(
      Array.from({ length: 10 }, async (_, index) =>
        (index % 2 ? first : second).activityIds.markSeen('c', 'same'),
      ),
    );
    assert.equal(marks.filter((repeat) => !repeat).length, 1, JSON.stringify(marks));
  });

  it('forgets an id after the 10-minute window and sweeps expired rows', async () => {
    const backend = await open();
    assert.equal(await backend.activityIds.markSeen('chat-1', 'old'), false);
    clock.tick(INBOUND_ACTIVITY_WINDOW_MS - 1);
    assert.equal(await backend.activityIds.markSeen('chat-1', 'old'), true, 'still within the window');
    clock.tick(1);
    assert.equal(await backend.activityIds.markSeen('chat-1', 'old'), false, 'the window has passed');
    assert.equal(await backend.activityIds.markSeen('chat-1', 'old'), true, 'seen again from now on');

    assert.equal(await backend.activityIds.markSeen('chat-1', 'other'), false);
    clock.tick(INBOUND_ACTIVITY_WINDOW_MS);
    await backend.activityIds.markSeen('chat-1', 'new');
    const ids = await backend.rows<{ activity_id: string }>(
      'SELECT activity_id FROM inbound_activities ORDER BY activity_id',
    );
    assert.deepEqual(
      ids.map((row) => row.activity_id),
      ['new'],
      'the expired ids were deleted on the insert',
    );
  });
});
