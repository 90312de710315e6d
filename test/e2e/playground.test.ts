/**
 * End to end: the real bot (`node build/src/index.js`, built-in offline model) talking to the real Agents
 * Playground, driven through the playground's own HTTP/WebSocket API. Every assertion reads the raw JSON the
 * bot sent over HTTP, as the playground logged it; the playground itself validates almost none of it.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { type FeedbackWithAnswer, SqliteFeedbackStore } from '../../src/storage';
import {
  startPlayground,
  type ActivityJson,
  type LoggedExchange,
  type Playground,
} from '../support/playgroundClient';
import { startBotProcess, type BotProcess } from './botProcess';
import { ADAPTIVE_CARD, aiEntitiesOf, citationMarkers, streamInfoOf } from './teamsWire';

const QUESTION = 'How do I connect to the VPN?';
const ANSWER_TIMEOUT_MS = 60_000;

describe('e2e: the bot in the Agents Playground', function () {
  this.timeout(120_000);

  let bot: BotProcess | undefined;
  let playground: Playground | undefined;

  before(async function () {
    bot = await startBotProcess();
    playground = await startPlayground({ appEndpoint: `${bot.url}/api/messages` });
  });

  after(async function () {
    await playground?.stop();
    await bot?.stop();
    bot?.removeData();
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.error(`--- bot output ---\n${bot?.output().slice(-10_000) ?? '(no bot)'}`);
    console.error(`--- playground traffic ---\n${describeTraffic(playground?.traffic() ?? [])}`);
    console.error(
      `--- playground output (end) ---\n${playground?.output().slice(-5_000) ?? '(no playground)'}`,
    );
  });

  const running = (): { bot: BotProcess; playground: Playground } => {
    assert.ok(bot && playground, 'the bot and the playground should have started');
    return { bot, playground };
  };

  describe(`asking "${QUESTION}"`, function () {
    /** What the bot sent for the question, up to and including its final message, with the HTTP answers. */
    let turn: LoggedExchange[] = [];
    let final: ActivityJson;

    before(async function () {
      const { playground } = running();
      const sentBefore = botSends(playground).length;
      await playground.send(QUESTION);
      await playground.waitFor(
        () =>
          botSends(playground)
            .slice(sentBefore)
            .some((sent) => sent.activity.type === 'message'),
        ANSWER_TIMEOUT_MS,
      );
      const sends = botSends(playground).slice(sentBefore);
      turn = sends.slice(0, sends.findIndex((sent) => sent.activity.type === 'message') + 1);
      final = turn[turn.length - 1].activity;
    });

    it('first shows an informative typing update', function () {
      const first = turn[0].activity;
      assert.equal(first.type, 'typing', raw(first));
      assert.equal(streamInfoOf(first)?.streamType, 'informative', raw(first));
      assert.ok(first.text && first.text.trim().length > 0, `the informative update has text: ${raw(first)}`);
    });

    it('then streams typing updates whose text grows, each containing the text before it', function () {
      const streamed = updates(turn).filter((activity) => streamInfoOf(activity)?.streamType === 'streaming');
      assert.ok(streamed.length >= 2, `expected at least 2 streaming updates, got ${streamed.length}`);
      for (let i = 1; i < streamed.length; i++) {
        const previous = streamed[i - 1].text ?? '';
        const current = streamed[i].text ?? '';
        assert.ok(
          current.startsWith(previous),
          `update ${i + 1} does not extend update ${i}: ${raw(streamed[i])}`,
        );
        assert.ok(current.length > previous.length, `update ${i + 1} does not grow: ${raw(streamed[i])}`);
      }
      const firstStreaming = updates(turn).findIndex(
        (activity) => streamInfoOf(activity)?.streamType === 'streaming',
      );
      const lateInformative = updates(turn)
        .slice(firstStreaming)
        .find((activity) => streamInfoOf(activity)?.streamType === 'informative');
      assert.equal(lateInformative, undefined, 'no informative update after the first text chunk');
    });

    it('numbers the updates 1, 2, 3… and ties them to the id Teams gave the first one', function () {
      const streamId = streamIdFromFirstAnswer(turn);
      updates(turn).forEach((activity, index) => {
        const info = streamInfoOf(activity);
        assert.equal(info?.streamSequence, index + 1, raw(activity));
        if (index === 0)
          assert.equal(info?.streamId, undefined, `the first update has no streamId: ${raw(activity)}`);
        else assert.equal(info?.streamId, streamId, raw(activity));
      });
    });

    it('ends with a final message on the same stream whose text cites its sources with [n] markers', function () {
      const info = streamInfoOf(final);
      assert.equal(final.type, 'message', raw(final));
      assert.equal(info?.streamType, 'final', raw(final));
      assert.equal(info?.streamId, streamIdFromFirstAnswer(turn), raw(final));
      assert.equal(
        info?.streamSequence,
        undefined,
        `the final message carries no streamSequence: ${raw(final)}`,
      );
      assert.match(final.text ?? '', /\[\d+\]/, raw(final));
    });

    it('labels the final message as AI-generated, with a citation for every [n] marker', function () {
      const labels = aiEntitiesOf(final);
      assert.equal(labels.length, 1, `exactly one AI entity: ${raw(final)}`);
      const label = labels[0];
      assert.ok(
        Array.isArray(label.additionalType) && label.additionalType.includes('AIGeneratedContent'),
        raw(final),
      );
      const citations = label.citation ?? [];
      assert.ok(citations.length >= 1, `at least one citation: ${raw(final)}`);
      const positions = new Set(citations.map((citation) => citation.position));
      for (const marker of citationMarkers(final.text ?? '')) {
        assert.ok(
          positions.has(marker),
          `[${marker}] has no citation with position ${marker}: ${raw(final)}`,
        );
      }
    });

    it('keeps its citations within the limits Teams enforces', function () {
      const citations = aiEntitiesOf(final)[0]?.citation ?? [];
      assert.ok(citations.length <= 20, `at most 20 citations: ${raw(final)}`);
      for (const { appearance } of citations) {
        assert.ok((appearance?.name ?? '').length <= 80, `name <= 80 chars: ${JSON.stringify(appearance)}`);
        assert.ok(
          (appearance?.abstract ?? '').length <= 160,
          `abstract <= 160 chars: ${JSON.stringify(appearance)}`,
        );
        const keywords = appearance?.keywords ?? [];
        assert.ok(
          keywords.length <= 3 && keywords.every((keyword) => keyword.length <= 28),
          JSON.stringify(appearance),
        );
      }
    });

    it('attaches an Adaptive Card and turns the feedback buttons on', function () {
      const card = final.attachments?.find((attachment) => attachment.contentType === ADAPTIVE_CARD);
      assert.ok(card, `an Adaptive Card attachment: ${raw(final)}`);
      assert.equal((card.content as { type?: unknown } | undefined)?.type, 'AdaptiveCard', raw(final));
      const channelData = final.channelData ?? {};
      const loop = channelData.feedbackLoop as { type?: unknown } | undefined;
      assert.ok(
        loop?.type === 'default' || loop?.type === 'custom',
        `channelData.feedbackLoop: ${raw(final)}`,
      );
      assert.equal(
        channelData.feedbackLoopEnabled,
        undefined,
        'never both feedbackLoop and feedbackLoopEnabled',
      );
    });

    it('had every send accepted by the playground, and logged no error', function () {
      const refused = turn.filter((sent) => sent.status < 200 || sent.status >= 300);
      assert.deepEqual(
        refused.map((sent) => `${sent.status} ${raw(sent.activity)}`),
        [],
      );
      const errors = running()
        .bot.output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line));
      assert.deepEqual(errors, []);
    });

    it('is shown by the playground as one AI-labelled message with feedback buttons', function () {
      const streamId = streamIdFromFirstAnswer(turn);
      const shown = running()
        .playground.conversationEvents()
        .filter((event) => event.message.messageId === streamId)
        .at(-1)?.message;
      assert.ok(shown, `the playground shows message ${streamId}`);
      const aiEntity = shown.aiEntity as { additionalType?: string[] } | undefined;
      assert.ok(aiEntity?.additionalType?.includes('AIGeneratedContent'), JSON.stringify(shown));
      assert.equal(shown.feedbackLoopEnabled, true, JSON.stringify(shown));
      assert.equal(shown.text, final.text);
    });

    describe('then rating the answer', function () {
      it('a like with a comment from the feedback dialog is answered HTTP 200 with an empty body', async function () {
        const answer = await running().playground.invokeFeedback({
          reaction: 'like',
          feedback: 'Clear steps, thanks!',
        });
        assert.equal(answer.status, 200, JSON.stringify(answer));
        assert.ok(
          answer.body === '' || answer.body === undefined,
          `empty body: ${JSON.stringify(answer.body)}`,
        );
      });

      it('a dislike sent the way real Teams sends it (replyToId, JSON feedback) is answered HTTP 200', async function () {
        const answer = await running().playground.invokeFeedback({
          reaction: 'dislike',
          feedback: JSON.stringify({ feedbackText: 'It did not mention the MFA prompt.' }),
          replyToId: streamIdFromFirstAnswer(turn),
        });
        assert.equal(answer.status, 200, JSON.stringify(answer));
      });

      describe('after the bot stops', function () {
        let stored: FeedbackWithAnswer[] = [];

        before(async function () {
          const exit = await running().bot.stop();
          assert.deepEqual(exit, { code: 0, signal: null }, 'the bot exits cleanly on SIGTERM');
          const db = new Database(running().bot.databaseFile, { readonly: true, fileMustExist: true });
          try {
            stored = await new SqliteFeedbackStore(db).list();
          } finally {
            db.close();
          }
        });

        it('the database holds both ratings with their comments, tied to the rated answer', function () {
          const streamId = streamIdFromFirstAnswer(turn);
          const summary = stored.map((feedback) => ({
            reaction: feedback.reaction,
            comment: feedback.comment,
            messageId: feedback.messageId,
            question: feedback.answer?.question,
          }));
          assert.deepEqual(
            summary.sort((a, b) => a.reaction.localeCompare(b.reaction)),
            [
              {
                reaction: 'dislike',
                comment: 'It did not mention the MFA prompt.',
                messageId: streamId,
                question: QUESTION,
              },
              { reaction: 'like', comment: 'Clear steps, thanks!', messageId: streamId, question: QUESTION },
            ],
          );
        });

        it('the stored answer is the text the user saw, with its sources', function () {
          const answer = stored[0]?.answer;
          assert.equal(answer?.answer, final.text);
          assert.ok((answer?.sources.length ?? 0) >= 1, JSON.stringify(answer));
        });
      });
    });
  });
});

/** Everything the bot sent to the playground, with the HTTP answers. */
function botSends(playground: Playground): LoggedExchange[] {
  return playground.traffic().filter((exchange) => exchange.sender === 'bot');
}

/** The informative and streaming typing updates of a turn, in order. */
function updates(turn: LoggedExchange[]): ActivityJson[] {
  return turn
    .map((sent) => sent.activity)
    .filter((activity) => activity.type === 'typing' && streamInfoOf(activity) !== undefined);
}

/** The id the playground (as Teams) answered the first update with: the stream's id and the final message's id. */
function streamIdFromFirstAnswer(turn: LoggedExchange[]): string {
  const body = turn[0]?.responseBody as { id?: unknown } | undefined;
  assert.equal(turn[0]?.status, 201, `the first update is answered 201 {id}: ${JSON.stringify(turn[0])}`);
  assert.equal(typeof body?.id, 'string', JSON.stringify(turn[0]));
  return body!.id as string;
}

function raw(activity: ActivityJson): string {
  return JSON.stringify(activity);
}

function describeTraffic(exchanges: LoggedExchange[]): string {
  return exchanges
    .map((exchange) => `${exchange.sender} -> ${exchange.status}: ${raw(exchange.activity)}`)
    .join('\n');
}
