import assert from 'node:assert/strict';
import type { Activity, TurnContext } from 'botbuilder';
import { createLogger } from '../../src/shared/logging';
import { SurfaceStreamer, type SurfaceMessage, type SurfaceSink } from '../../src/surfaces';

function recorder() {
  const deltas: string[] = [];
  const statuses: string[] = [];
  const sink: SurfaceSink = {
    onStatus: (text) => statuses.push(text),
    onTextDelta: (delta) => deltas.push(delta),
    onToolCall: () => undefined,
    onToolResult: () => undefined,
    onMessage: (_message: SurfaceMessage) => undefined,
    onTurnEnd: () => undefined,
    onConfirmation: () => undefined,
  };
  const sent: Array<Partial<Activity>> = [];
  const context = {
    sendActivity: (activity: Partial<Activity>) => {
      sent.push(activity);
      return Promise.resolve({ id: `m${sent.length}` });
    },
  } as unknown as TurnContext;
  return { deltas, statuses, sink, sent, context };
}

const SOURCES = [{ position: 1, title: 'VPN guide', text: 'Use vpn.contoso.com' }];

describe('SurfaceStreamer', () => {
  it('hands text to the sink as it arrives, holding back a [docN] marker until it is complete', async () => {
    const { deltas, sink, sent, context } = recorder();
    const streamer = new SurfaceStreamer({
      context,
      sink,
      logger: createLogger('silent'),
      sources: () => SOURCES,
    });
    streamer.queueTextChunk('Connect to vpn.contoso.com ');
    streamer.queueTextChunk('[do');
    assert.deepEqual(deltas, ['Connect to vpn.contoso.com '], 'a half marker is held back');
    streamer.queueTextChunk('c1] today.');
    assert.deepEqual(deltas, ['Connect to vpn.contoso.com ', '[1] today.']);

    streamer.setGeneratedByAILabel(true);
    const outcome = await streamer.endStream();
    assert.deepEqual(outcome, {
      kind: 'completed',
      messageId: 'm1',
      text: 'Connect to vpn.contoso.com [1] today.',
    });
    assert.equal(deltas.join(''), sent[0]?.text, 'the deltas add up to the final message');
    const entities = sent[0]?.entities as Array<Record<string, unknown>>;
    assert.deepEqual(entities[0], {
      type: 'streaminfo',
      streamType: 'final',
      streamId: entities[0]?.streamId,
    });
    const citation = (entities[1]?.citation as Array<{ position: number; appearance: { name: string } }>)[0];
    assert.equal(citation?.position, 1);
    assert.equal(citation?.appearance.name, 'VPN guide');
  });

  it('after cancel sends nothing more and reports what the user saw', async () => {
    const { deltas, sink, sent, context } = recorder();
    const streamer = new SurfaceStreamer({
      context,
      sink,
      logger: createLogger('silent'),
      sources: () => [],
    });
    streamer.queueTextChunk('Partial answer');
    streamer.cancel();
    streamer.queueTextChunk(' that nobody sees');
    assert.deepEqual(await streamer.endStream(), { kind: 'cancelled', shownText: 'Partial answer' });
    assert.deepEqual(deltas, ['Partial answer']);
    assert.equal(sent.length, 0);
  });

  it('apologises when the model wrote nothing, and keeps partial text with a notice when it failed later', async () => {
    const empty = recorder();
    const failed = new SurfaceStreamer({
      context: empty.context,
      sink: empty.sink,
      logger: createLogger('silent'),
      sources: () => [],
      failureText: 'Sorry.',
    });
    failed.noteModelFailure(new Error('boom'));
    assert.deepEqual(await failed.endStream(), { kind: 'failed', messageId: 'm1', text: 'Sorry.' });
    assert.deepEqual(empty.deltas, ['Sorry.']);

    const partial = recorder();
    const cut = new SurfaceStreamer({
      context: partial.context,
      sink: partial.sink,
      logger: createLogger('silent'),
      sources: () => [],
      partialNotice: '(cut short)',
    });
    cut.queueTextChunk('Half');
    cut.noteModelFailure(new Error('dropped'));
    assert.deepEqual(await cut.endStream(), { kind: 'failed', messageId: 'm1', text: 'Half\n\n(cut short)' });
    assert.equal(partial.deltas.join(''), 'Half\n\n(cut short)');
  });
});
