import { strict as assert } from 'node:assert';
import path from 'node:path';
import { openDatabase, SqliteFeedbackStore } from '../../src/storage';
import { aiEntityOf, streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { feedbackInvoke, startTestBot, userMessage, type TestBot } from '../support/testBot';

/** The final message of a conversation's stream (the last activity of type message). */
function finalMessage(activities: ReceivedActivity[]): ReceivedActivity {
  const final = activities.filter((activity) => activity.body.type === 'message').at(-1);
  assert.ok(final, 'a final message was sent');
  return final;
}

describe('streaming a cited answer into a 1:1 chat (real server, fake Bot Connector, local model)', function () {
  this.timeout(30000);
  let bot: TestBot;
  let sent: ReceivedActivity[];

  before(async () => {
    // A realistic pace: the first token comes after the informative update's one-second slot, then ~40 tokens/s.
    bot = await startTestBot({
      model: { timeToFirstTokenMs: 1200, tokensPerSecond: 40 },
      // Citations of knowledge-folder passages link to the published documents.
      env: { KNOWLEDGE_BASE_URL: 'https://wiki.example.com/kb' },
    });
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'vpn-chat' }),
    );
    assert.equal(response.status, 200);
    sent = bot.connector.forConversation('vpn-chat');
  });
  after(() => bot.close());

  it('sends an informative update first, without a streamId, and uses the id Teams returned as streamId after', () => {
    const first = sent[0];
    assert.equal(first.body.type, 'typing');
    assert.deepEqual(
      { ...streamInfoOf(first.body) },
      { type: 'streaminfo', streamType: 'informative', streamSequence: 1 },
    );
    assert.equal(first.body.text, 'Thinking about your question...');
    assert.equal(first.status, 201);
    const streamId = 'activity-1';
    for (const later of sent.slice(1)) assert.equal(streamInfoOf(later.body)?.streamId, streamId);
  });

  it('numbers updates 1, 2, 3... and keeps the full entity fields on the wire (botbuilder entity fix)', () => {
    const updates = sent.filter((activity) => activity.body.type === 'typing');
    assert.ok(updates.length >= 3, `expected several updates, got ${updates.length}`);
    updates.forEach((update, index) => {
      const info = streamInfoOf(update.body);
      assert.equal(info?.streamSequence, index + 1);
      assert.equal(update.body.channelData?.streamSequence, index + 1);
      assert.ok(['informative', 'streaming'].includes(String(info?.streamType)));
    });
  });

  it('streams cumulative text: every update contains the whole text so far', () => {
    const texts = sent
      .filter((activity) => streamInfoOf(activity.body)?.streamType === 'streaming')
      .map((activity) => activity.body.text ?? '');
    assert.ok(texts.length >= 1);
    for (let i = 1; i < texts.length; i++)
      assert.ok(texts[i].startsWith(texts[i - 1]), 'updates grow by prefix');
    assert.ok(finalMessage(sent).body.text!.startsWith(texts.at(-1)!));
  });

  it('puts the citations of the [n] markers on each streaming update, without the AI label', () => {
    const cited = sent.filter(
      (activity) =>
        streamInfoOf(activity.body)?.streamType === 'streaming' && /\[\d+\]/.test(activity.body.text ?? ''),
    );
    assert.ok(cited.length >= 1, 'some update already contains a citation marker');
    for (const update of cited) {
      const roots = update.body.entities!.filter((entity) => entity.type === 'https://schema.org/Message');
      assert.equal(roots.length, 1, 'one root Message entity');
      const positions = (roots[0].citation as Array<{ position: number }>).map(
        (citation) => citation.position,
      );
      const markers = [
        ...new Set([...(update.body.text ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))),
      ];
      assert.deepEqual(positions, markers, 'one citation per distinct marker, in order');
      assert.equal(roots[0].additionalType, undefined, 'the AI label is for the final message only');
    }
  });

  it('keeps at least one second between two sends to the stream', () => {
    for (let i = 1; i < sent.length; i++) {
      const gap = sent[i].at - sent[i - 1].at;
      assert.ok(gap >= 990, `sends ${i - 1} and ${i} were only ${gap} ms apart`);
    }
  });

  it('shows a localized status while the knowledge search runs, before any text', () => {
    const informative = sent.filter((activity) => streamInfoOf(activity.body)?.streamType === 'informative');
    assert.ok(informative.some((activity) => activity.body.text === 'Searching the knowledge base...'));
    const firstText = sent.findIndex((activity) => streamInfoOf(activity.body)?.streamType === 'streaming');
    const lastInformative = sent.findLastIndex(
      (activity) => streamInfoOf(activity.body)?.streamType === 'informative',
    );
    assert.ok(lastInformative < firstText);
  });

  it('ends with a final message: full text, AI label, citations for the [n] markers, card, feedback', () => {
    const final = finalMessage(sent).body;
    assert.deepEqual(
      { ...streamInfoOf(final) },
      { type: 'streaminfo', streamType: 'final', streamId: 'activity-1' },
    );
    assert.equal(final.channelData?.streamType, 'final');
    assert.equal(final.channelData?.streamSequence, undefined);
    assert.deepEqual(final.channelData?.feedbackLoop, { type: 'default' });
    assert.equal(final.channelData?.feedbackLoopEnabled, undefined, 'never both feedback switches');

    const roots = final.entities!.filter((entity) => entity.type === 'https://schema.org/Message');
    assert.equal(roots.length, 1, 'exactly one root Message entity');
    const ai = aiEntityOf(final)!;
    assert.deepEqual(ai.additionalType, ['AIGeneratedContent']);
    const citations = ai.citation as Array<{
      position: number;
      appearance: { name: string; abstract: string; url?: string };
    }>;
    assert.ok(citations.length >= 1, 'the answer cites the knowledge base');
    for (const citation of citations) {
      assert.ok(
        final.text!.includes(`[${citation.position}]`),
        `marker [${citation.position}] is in the text`,
      );
      assert.ok(citation.appearance.name.length <= 80);
      assert.ok(citation.appearance.abstract.length <= 160);
      assert.match(String(citation.appearance.url), /^https:\/\/wiki\.example\.com\/kb\/[\w%.-]+\.md$/);
    }
    assert.equal(citations[0]?.appearance.url, 'https://wiki.example.com/kb/remote-work-and-vpn.md');
    assert.match(final.text!, /VPN|GlobalProtect|vpn/i);

    const card = final.attachments?.[0];
    assert.equal(card?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(card?.content), /search|Knowledge/i);
    assert.ok(
      JSON.stringify(card?.content).includes('](https://wiki.example.com/kb/remote-work-and-vpn.md)'),
      'the card lists the source as a link',
    );
  });

  it('records the answer so feedback can be tied to the question', async () => {
    const response = await bot.post(
      feedbackInvoke({
        reaction: 'dislike',
        feedback: JSON.stringify({ feedbackText: 'Missing the MFA step' }),
        replyToId: 'activity-1',
        conversationId: 'vpn-chat',
      }),
    );
    assert.equal(response.status, 200);
    assert.equal(response.body, '', 'the invoke is answered 200 with an empty body');
    const db = openDatabase({ file: path.join(bot.dataDir, 'bot.sqlite') });
    try {
      const [stored] = await new SqliteFeedbackStore(db).list(10);
      assert.equal(stored?.reaction, 'dislike');
      assert.equal(stored?.comment, 'Missing the MFA step');
      assert.equal(stored?.messageId, 'activity-1');
      assert.equal(stored?.answer?.question, 'How do I connect to the VPN?');
      assert.equal(stored?.answer?.answer, finalMessage(sent).body.text);
      assert.ok((stored?.answer?.sources.length ?? 0) >= 1);
    } finally {
      db.close();
    }
  });
});

describe('an update Teams dropped for arriving out of order (202 ContentStreamSequenceOrderPreConditionFailed)', function () {
  this.timeout(30000);
  it('is detected and logged, although the status is a success', async () => {
    const { logger, raw: lines } = capturingLogger('warn');
    const bot = await startTestBot({ logger, model: { timeToFirstTokenMs: 1200, tokensPerSecond: 40 } });
    try {
      let rejected = false;
      bot.connector.respondWith((activity) => {
        if (!rejected && streamInfoOf(activity)?.streamType === 'streaming') {
          rejected = true;
          return {
            status: 202,
            body: {
              error: { code: 'ContentStreamSequenceOrderPreConditionFailed', message: 'out of order' },
            },
          };
        }
        return undefined;
      });
      await postAndWaitForAnswer(
        bot,
        userMessage('How do I connect to the VPN?', { conversationId: 'order-chat' }),
      );
      const warning = lines
        .map((line) => JSON.parse(line) as { msg: string; url?: string })
        .find((entry) => entry.msg.includes('SequenceOrderPreConditionFailed'));
      assert.ok(warning, 'the dropped update was logged');
      assert.match(warning.url ?? '', /order-chat/);
    } finally {
      await bot.close();
    }
  });
});
