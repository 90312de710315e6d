import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { RecentActivityIds } from '../../src/server';
import { systemClock } from '../../src/shared/time';

describe('RecentActivityIds (recognising a retried inbound activity)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers({ now: Date.parse('2026-03-01T09:00:00Z') });
  });
  afterEach(() => timers.restore());

  it('calls the first arrival new and the same conversation and activity id again a repeat', () => {
    const recent = new RecentActivityIds({ clock: systemClock });
    assert.equal(recent.markSeen('conversation-1', 'activity-1'), false);
    assert.equal(recent.markSeen('conversation-1', 'activity-1'), true);
    assert.equal(recent.markSeen('conversation-1', 'activity-1'), true);
  });

  it('tells apart the same activity id in another conversation, and another id in the same one', () => {
    const recent = new RecentActivityIds({ clock: systemClock });
    recent.markSeen('conversation-1', 'activity-1');
    assert.equal(recent.markSeen('conversation-2', 'activity-1'), false);
    assert.equal(recent.markSeen('conversation-1', 'activity-2'), false);
  });

  it('does not confuse ids that only concatenate to the same text', () => {
    const recent = new RecentActivityIds({ clock: systemClock });
    recent.markSeen('a:b', 'c');
    assert.equal(recent.markSeen('a', 'b:c'), false);
  });

  it('never calls an activity without an id a repeat, and does not remember it', () => {
    const recent = new RecentActivityIds({ clock: systemClock });
    assert.equal(recent.markSeen('conversation-1', undefined), false);
    assert.equal(recent.markSeen('conversation-1', undefined), false);
    assert.equal(recent.markSeen('conversation-1', ''), false);
    assert.equal(recent.size, 0);
  });

  it('forgets an id after 10 minutes by default', () => {
    const recent = new RecentActivityIds({ clock: systemClock });
    recent.markSeen('conversation-1', 'activity-1');
    timers.tick(10 * 60 * 1000 - 1);
    assert.equal(
      recent.markSeen('conversation-1', 'activity-1'),
      true,
      'still a repeat just before 10 minutes',
    );
    timers.tick(1);
    assert.equal(recent.markSeen('conversation-1', 'activity-1'), false, 'new again after 10 minutes');
  });

  it('counts the window from the first arrival, not from the repeats', () => {
    const recent = new RecentActivityIds({ clock: systemClock, windowMs: 1000 });
    recent.markSeen('conversation-1', 'activity-1');
    timers.tick(900);
    assert.equal(recent.markSeen('conversation-1', 'activity-1'), true);
    timers.tick(100);
    assert.equal(recent.markSeen('conversation-1', 'activity-1'), false);
  });

  it('drops expired ids as new ones arrive, so the memory does not grow with old traffic', () => {
    const recent = new RecentActivityIds({ clock: systemClock, windowMs: 1000 });
    for (let i = 0; i < 50; i++) recent.markSeen('conversation-1', `old-${i}`);
    timers.tick(1000);
    recent.markSeen('conversation-1', 'fresh');
    assert.equal(recent.size, 1);
  });

  it('keeps at most maxEntries ids and forgets the oldest first', () => {
    const recent = new RecentActivityIds({ clock: systemClock, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) {
      recent.markSeen('conversation-1', id);
      timers.tick(1);
    }
    assert.equal(recent.size, 3);
    assert.equal(recent.markSeen('conversation-1', 'a'), false, 'the oldest was evicted');
    assert.equal(recent.markSeen('conversation-1', 'd'), true, 'the newest is kept');
  });

  it('keeps 10,000 ids by default', () => {
    const recent = new RecentActivityIds({ clock: systemClock });
    for (let i = 0; i < 10_001; i++) recent.markSeen('conversation-1', `activity-${i}`);
    assert.equal(recent.size, 10_000);
    assert.equal(recent.markSeen('conversation-1', 'activity-10000'), true);
    assert.equal(recent.markSeen('conversation-1', 'activity-0'), false);
  });

  it('refuses a window or size that would remember nothing', () => {
    assert.throws(() => new RecentActivityIds({ windowMs: 0 }), RangeError);
    assert.throws(() => new RecentActivityIds({ maxEntries: 0 }), RangeError);
  });
});
