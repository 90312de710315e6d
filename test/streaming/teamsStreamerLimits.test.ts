import { strict as assert } from 'node:assert';
import type { Activity, TurnContext } from 'botbuilder';
import pino from 'pino';
import sinon from 'sinon';
import { STREAM_LIMITS, TeamsStreamer } from '../../src/streaming';
import { activitySize } from '../../src/streaming/messageBudget';

interface Sent {
  at: number;
  activity: Partial<Activity>;
}

/** A connector that can fail chosen attempts with a status, a Teams message and headers. */
function connector(fail?: (activity: Partial<Activity>, attempt: number) => Error | undefined) {
  const sent: Sent[] = [];
  const attempts: number[] = [];
  let count = 0;
  const context = {
    sendActivity: async (activity: Partial<Activity>) => {
      const attempt = count++;
      attempts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
      const failure = fail?.(activity, attempt);
      if (failure) throw failure;
      sent.push({ at: Date.now(), activity });
      return {
        id: activity.type === 'message' && !streamTypeOf(activity) ? `message-${attempt}` : 'stream-1',
      };
    },
  } as unknown as TurnContext;
  return { context, sent, attempts };
}

function connectorError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), {
    statusCode: status,
    response: {
      headers: { get: (name: string) => headers[name] },
      bodyAsText: JSON.stringify({ error: { message } }),
    },
  });
}

function streamTypeOf(activity: Partial<Activity>): string | undefined {
  return (
    activity.entities?.find((entity) => entity.type === 'streaminfo') as { streamType?: string } | undefined
  )?.streamType;
}

function newStreamer(context: TurnContext) {
  const streamer = new TeamsStreamer({
    context,
    mode: 'stream',
    logger: pino({ level: 'silent' }),
    sources: () => [],
    random: () => 0.5,
  });
  streamer.setFeedbackLoop(true);
  streamer.setGeneratedByAILabel(true);
  streamer.setAttachments([
    { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
  ]);
  return streamer;
}

/** The text the user ends up with: the stream's final text followed by every ordinary message. */
function deliveredText(sent: Sent[]): string {
  return sent
    .filter((item) => item.activity.type === 'message')
    .map((item) => item.activity.text ?? '')
    .join('');
}

describe('TeamsStreamer under Teams limits and faults', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 5_000_000 });
  });
  afterEach(() => clock.restore());

  it('retries a throttled update after the Retry-After the connector asked for', async () => {
    const { context, sent, attempts } = connector((_activity, attempt) =>
      attempt === 1 ? connectorError(429, 'API calls quota exceeded', { 'retry-after': '3' }) : undefined,
    );
    const streamer = newStreamer(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(50);
    streamer.queueTextChunk('Hello');
    await clock.tickAsync(1100);
    assert.equal(sent.length, 1, 'the throttled update did not arrive');
    await clock.tickAsync(2800);
    assert.equal(sent.length, 1, 'no retry before Retry-After');
    await clock.tickAsync(500);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].activity.text, 'Hello');
    assert.ok(attempts[2] - attempts[1] >= 3000);
  });

  it('retries 503 at most 3 times with backoff, then delivers the answer as an ordinary message', async () => {
    const { context, sent, attempts } = connector((activity) =>
      streamTypeOf(activity) === 'streaming' ? connectorError(503, 'Service Unavailable') : undefined,
    );
    const streamer = newStreamer(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(50);
    streamer.queueTextChunk('The answer.');
    await clock.tickAsync(30_000);
    assert.equal(attempts.length, 1 + 4, 'one informative, then the first try and 3 retries of the update');
    for (let i = 2; i < attempts.length; i++)
      assert.ok(attempts[i] - attempts[i - 1] >= 1000, 'retries are spaced');
    const outcome = streamer.endStream();
    await clock.tickAsync(5000);
    const result = await outcome;
    assert.equal(result.kind, 'failed');
    const last = sent.at(-1)!.activity;
    assert.equal(last.type, 'message');
    assert.equal(streamTypeOf(last), undefined, 'an ordinary message, not a stream send');
    assert.equal(last.text, 'The answer.');
    assert.deepEqual(last.channelData, { feedbackLoop: { type: 'default' } });
    assert.equal(last.attachments?.length, 1);
  });

  it('finalizes the stream before two minutes and sends the rest as an ordinary message, losing nothing', async () => {
    const { context, sent } = connector();
    const streamer = newStreamer(context);
    streamer.queueInformativeUpdate('Thinking...');
    const words: string[] = [];
    for (let second = 0; second < 150; second++) {
      const word = `w${second} `;
      words.push(word);
      streamer.queueTextChunk(word);
      await clock.tickAsync(1000);
    }
    const outcome = streamer.endStream();
    await clock.tickAsync(5000);
    assert.equal((await outcome).kind, 'completed');
    const streamFinal = sent.find((item) => streamTypeOf(item.activity) === 'final')!;
    assert.ok(streamFinal, 'the stream got its final message');
    const firstSend = sent[0].at;
    assert.ok(streamFinal.at - firstSend < STREAM_LIMITS.maxStreamDurationMs, 'before the two-minute limit');
    assert.equal(streamFinal.activity.attachments, undefined, 'the card waits for the last message');
    const afterFinal = sent.slice(sent.indexOf(streamFinal) + 1);
    assert.ok(afterFinal.length >= 1);
    assert.ok(afterFinal.every((item) => item.activity.type === 'message' && !streamTypeOf(item.activity)));
    assert.equal(afterFinal.at(-1)!.activity.attachments?.length, 1);
    assert.equal(deliveredText(sent), words.join(''), 'no text is lost or repeated');
  });

  it('recovers from 403 "exceeded streaming time": what was shown stays, the rest follows as a message', async () => {
    let expired = false;
    const { context, sent } = connector((activity) => {
      if (expired && streamTypeOf(activity) !== undefined) {
        return connectorError(403, 'Content stream finished due to exceeded streaming time.');
      }
      return undefined;
    });
    const streamer = newStreamer(context);
    streamer.queueInformativeUpdate('Thinking...');
    await clock.tickAsync(50);
    streamer.queueTextChunk('Part one. ');
    await clock.tickAsync(1100);
    expired = true;
    streamer.queueTextChunk('Part two.');
    await clock.tickAsync(1100);
    const outcome = streamer.endStream();
    await clock.tickAsync(3000);
    assert.equal((await outcome).kind, 'completed');
    const shown = sent.filter((item) => streamTypeOf(item.activity) === 'streaming').at(-1)!.activity.text;
    assert.equal(shown, 'Part one. ');
    const message = sent.at(-1)!.activity;
    assert.equal(message.text, 'Part two.');
    assert.deepEqual(message.channelData, { feedbackLoop: { type: 'default' } });
  });

  it('never sends an activity over the size budget: a long answer is cut at paragraphs and continued', async () => {
    const { context, sent } = connector();
    const streamer = newStreamer(context);
    streamer.queueInformativeUpdate('Thinking...');
    const paragraphs = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i}: ${'Ünïcödé text 😀 '.repeat(60)}\n\n`,
    );
    for (const paragraph of paragraphs) {
      streamer.queueTextChunk(paragraph);
      await clock.tickAsync(300);
    }
    const outcome = streamer.endStream();
    await clock.tickAsync(60_000);
    assert.equal((await outcome).kind, 'completed');
    for (const item of sent) assert.ok(activitySize(item.activity) <= STREAM_LIMITS.maxActivityBytes);
    const messages = sent.filter((item) => item.activity.type === 'message');
    assert.ok(messages.length >= 3, `the answer spans several messages (${messages.length})`);
    for (const message of messages.slice(0, -1))
      assert.ok(message.activity.text!.endsWith('\n\n'), 'cut at a paragraph');
    assert.equal(deliveredText(sent), paragraphs.join(''));
  });
});
