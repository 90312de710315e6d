import { strict as assert } from 'node:assert';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import pino from 'pino';
import { conversationScopeOf } from '../../src/turn/requester';
import { currentTurn, runTurn, Turn } from '../../src/turn/turn';
import { turnStreamOf } from '../../src/turn/turnStreams';
import { TeamsStreamer } from '../../src/streaming';

function contextFor(activity: Partial<Activity> = {}): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', channelId: 'msteams', ...activity });
}

function sessionFor(context: TurnContext): Turn {
  const streamer = new TeamsStreamer({
    context,
    mode: 'single',
    logger: pino({ level: 'silent' }),
    sources: () => [],
  });
  return new Turn({
    scope: { tenantId: 'tenant-a', conversationId: 'conv-1' },
    locale: 'en-US',
    question: 'How do I connect to the VPN?',
    logger: pino({ level: 'silent' }),
    openStream: () => turnStreamOf(streamer),
  });
}

const passage = (key: string, title = `Title of ${key}`) => ({
  key,
  title,
  text: `Text of ${key}`,
  location: `${key}.md`,
});

describe('Turn', () => {
  describe('addSource', () => {
    it('numbers sources from 1 in the order they are added', () => {
      const session = sessionFor(contextFor());
      assert.equal(session.addSource(passage('vpn#1')), 1);
      assert.equal(session.addSource(passage('vpn#2')), 2);
      assert.equal(session.addSource(passage('expenses#4')), 3);
      assert.deepEqual(
        session.sources.map((source) => [source.position, source.key]),
        [
          [1, 'vpn#1'],
          [2, 'vpn#2'],
          [3, 'expenses#4'],
        ],
      );
    });

    it('gives a passage found again its first number and keeps one entry for it', () => {
      const session = sessionFor(contextFor());
      session.addSource(passage('vpn#1', 'VPN guide'));
      session.addSource(passage('vpn#2'));
      assert.equal(session.addSource(passage('vpn#1', 'VPN guide, found again')), 1);
      assert.equal(session.sources.length, 2);
      assert.equal(session.sources[0].title, 'VPN guide', 'the first description stays');
      assert.equal(session.addSource(passage('vpn#3')), 3, 'the next new passage continues the numbering');
    });

    it('keeps everything the tool said about the source', () => {
      const session = sessionFor(contextFor());
      session.addSource({ ...passage('vpn#1'), url: 'https://contoso.example/vpn' });
      assert.deepEqual(session.sources[0], {
        key: 'vpn#1',
        title: 'Title of vpn#1',
        text: 'Text of vpn#1',
        location: 'vpn#1.md',
        url: 'https://contoso.example/vpn',
        position: 1,
      });
    });
  });

  describe('toolsUsed', () => {
    it('lists each tool once, in the order it first ran', () => {
      const session = sessionFor(contextFor());
      assert.deepEqual(session.toolsUsed, []);
      for (const tool of ['search_knowledge', 'create_work_item', 'search_knowledge', 'find_work_items']) {
        session.noteTool(tool);
      }
      assert.deepEqual(session.toolsUsed, ['search_knowledge', 'create_work_item', 'find_work_items']);
    });
  });

  describe('runTurn and currentTurn', () => {
    it('finds the turn it runs in', () => {
      const context = contextFor();
      const session = sessionFor(context);
      runTurn(session, () => {
        assert.equal(currentTurn(), session);
      });
    });

    it('finds no turn outside one, even while another turn runs', async () => {
      const withSession = contextFor();
      const running = runTurn(sessionFor(withSession), () => new Promise((resolve) => setImmediate(resolve)));
      assert.equal(currentTurn(), undefined);
      await running;
    });
  });
});

describe('conversationScopeOf', () => {
  const conversation = (fields: { id: string; tenantId?: string }) => ({
    ...fields,
    isGroup: false,
    name: '',
    conversationType: 'personal',
  });

  it('reads the tenant from conversation.tenantId and the conversation id', () => {
    const context = contextFor({
      conversation: conversation({ id: 'a:1', tenantId: 'tenant-a' }),
      channelData: { tenant: { id: 'tenant-from-channel-data' } },
    });
    assert.deepEqual(conversationScopeOf(context), { tenantId: 'tenant-a', conversationId: 'a:1' });
  });

  it('falls back to channelData.tenant.id when the conversation carries no tenant', () => {
    const context = contextFor({
      conversation: conversation({ id: 'a:1' }),
      channelData: { tenant: { id: 'tenant-b' } },
    });
    assert.deepEqual(conversationScopeOf(context), { tenantId: 'tenant-b', conversationId: 'a:1' });
  });

  it('uses "no-tenant" when neither says which tenant it is', () => {
    assert.equal(
      conversationScopeOf(contextFor({ conversation: conversation({ id: 'a:1' }) })).tenantId,
      'no-tenant',
    );
    assert.equal(
      conversationScopeOf(
        contextFor({ conversation: conversation({ id: 'a:1' }), channelData: { tenant: {} } }),
      ).tenantId,
      'no-tenant',
    );
  });

  it('uses "no-conversation" when the activity has no conversation', () => {
    assert.deepEqual(conversationScopeOf(contextFor()), {
      tenantId: 'no-tenant',
      conversationId: 'no-conversation',
    });
  });
});
