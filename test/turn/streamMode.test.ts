import { strict as assert } from 'node:assert';
import { TestAdapter, TurnContext } from 'botbuilder';
import { streamModeOf } from '../../src/turn/streamMode';

function contextIn(channelId: string, conversationType: string): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    channelId,
    conversation: { id: 'a:1', isGroup: conversationType !== 'personal', name: '', conversationType },
  });
}

describe('streamModeOf', () => {
  it('streams in a Teams 1:1 chat', () => {
    assert.equal(streamModeOf(contextIn('msteams', 'personal')), 'stream');
  });

  it('sends one final message in Teams group chats and channels, which refuse streaming', () => {
    assert.equal(streamModeOf(contextIn('msteams', 'groupChat')), 'single');
    assert.equal(streamModeOf(contextIn('msteams', 'channel')), 'single');
  });

  it('sends one final message in a Teams conversation that does not say its type', () => {
    assert.equal(streamModeOf(contextIn('msteams', '')), 'single');
  });

  it('sends one final message on other channels, even in a personal conversation', () => {
    assert.equal(streamModeOf(contextIn('webchat', 'personal')), 'single');
    assert.equal(streamModeOf(contextIn('emulator', 'personal')), 'single');
  });

  it('streams in Microsoft 365 Copilot Chat (msteams:Copilot), a Teams 1:1 conversation', () => {
    assert.equal(streamModeOf(contextIn('msteams:Copilot', 'personal')), 'stream');
  });

  it('sends one final message in a group chat of a Teams subchannel', () => {
    assert.equal(streamModeOf(contextIn('msteams:Copilot', 'groupChat')), 'single');
  });

  it('does not stream on a compound id of another base channel', () => {
    assert.equal(streamModeOf(contextIn('webchat:foo', 'personal')), 'single');
  });
});
