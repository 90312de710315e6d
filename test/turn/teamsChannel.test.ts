import { strict as assert } from 'node:assert';
import { isCopilot, isTeamsChannel, parseChannelId } from '../../src/turn/teamsChannel';

describe('teamsChannel', () => {
  describe('parseChannelId', () => {
    it('splits a compound id at the first colon', () => {
      assert.deepEqual(parseChannelId('msteams:Copilot'), { channel: 'msteams', subChannel: 'Copilot' });
      assert.deepEqual(parseChannelId('agents:email:x'), { channel: 'agents', subChannel: 'email:x' });
    });

    it('gives a plain id no subchannel', () => {
      assert.deepEqual(parseChannelId('msteams'), { channel: 'msteams', subChannel: undefined });
      assert.deepEqual(parseChannelId(undefined), { channel: '', subChannel: undefined });
    });
  });

  describe('isTeamsChannel', () => {
    it('is true for Teams and for Microsoft 365 Copilot Chat (msteams:Copilot)', () => {
      assert.equal(isTeamsChannel('msteams'), true);
      assert.equal(isTeamsChannel('msteams:Copilot'), true);
      assert.equal(isTeamsChannel('msteams:COPILOT'), true);
    });

    it('is true for any other Teams subchannel', () => {
      assert.equal(isTeamsChannel('msteams:someFutureHost'), true);
    });

    it('is false for other channels, compound or not', () => {
      for (const channelId of [
        'webchat',
        'webchat:foo',
        'directline',
        'emulator',
        'web',
        'terminal',
        'agents:msteams',
      ]) {
        assert.equal(isTeamsChannel(channelId), false, channelId);
      }
    });

    it('is false for ids that only look like Teams', () => {
      for (const channelId of ['msteamsx', 'xmsteams', ':msteams', ' msteams', '']) {
        assert.equal(isTeamsChannel(channelId), false, JSON.stringify(channelId));
      }
      assert.equal(isTeamsChannel(undefined), false);
    });

    it('compares the base channel exactly, as Bot Framework compares Channels.Msteams', () => {
      assert.equal(isTeamsChannel('MSTeams'), false);
      assert.equal(isTeamsChannel('MSTEAMS:Copilot'), false);
    });
  });

  describe('isCopilot', () => {
    it('is true for msteams:Copilot in any letter case of the subchannel', () => {
      assert.equal(isCopilot('msteams:Copilot'), true);
      assert.equal(isCopilot('msteams:COPILOT'), true);
      assert.equal(isCopilot('msteams:copilot'), true);
    });

    it('is false for plain Teams, other subchannels and other channels', () => {
      for (const channelId of [
        'msteams',
        'msteams:',
        'msteams:other',
        'webchat:Copilot',
        'Copilot',
        undefined,
      ]) {
        assert.equal(isCopilot(channelId), false, String(channelId));
      }
    });
  });
});
