import { strict as assert } from 'node:assert';
import type { PromptResponse } from '@microsoft/teams-ai/lib/types';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import pino from 'pino';
import sinon from 'sinon';
import { answerCardHandler, citedSources } from '../../src/turn/answerCardHandler';
import { runTurn, Turn as AnswerTurn } from '../../src/turn/turn';
import { turnStreamOf } from '../../src/turn/turnStreams';
import { translate } from '../../src/shared/i18n';
import { TeamsStreamer } from '../../src/streaming';
import { readCard } from './cards/adaptiveCardReader';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

interface Turn {
  context: TurnContext;
  session: AnswerTurn;
  streamer: TeamsStreamer;
  sent: Partial<Activity>[];
  setAttachments: sinon.SinonSpy<Parameters<TeamsStreamer['setAttachments']>, void>;
}

/**
 * A Teams 1:1 turn with a session attached, whose streamer sends through a stub connector. The streamer
 * runs in 'single' mode, so nothing is sent until the stream ends.
 */
function turnWithSession(): Turn {
  const context = new TurnContext(new TestAdapter(), {
    type: 'message',
    channelId: 'msteams',
    locale: 'en-US',
    text: 'How do I connect to the VPN?',
  });
  const sent: Partial<Activity>[] = [];
  // Only sendActivity is used by the streamer; the stub records what would go to Teams.
  const connector = {
    sendActivity: (activity: Partial<Activity>) => {
      sent.push(activity);
      return Promise.resolve({ id: 'final-1' });
    },
  } as unknown as TurnContext;
  const streamer: TeamsStreamer = new TeamsStreamer({
    context: connector,
    mode: 'single',
    logger: pino({ level: 'silent' }),
    // As the message handler wires it: the sources the tools added to the turn.
    sources: () => session.sources,
  });
  const session: AnswerTurn = new AnswerTurn({
    scope: { tenantId: 'tenant-a', conversationId: 'a:1' },
    locale: 'en-US',
    question: 'How do I connect to the VPN?',
    logger: pino({ level: 'silent' }),
    openStream: () => turnStreamOf(streamer),
  });
  session.addSource({ key: 'vpn#1', title: 'VPN guide', text: 'Install GlobalProtect.', location: 'vpn.md' });
  session.addSource({
    key: 'exp#2',
    title: 'Expense policy',
    text: 'Hotels up to 200 EUR.',
    location: 'exp.md',
  });
  session.addSource({
    key: 'mfa#3',
    title: 'MFA setup',
    text: 'Register the Authenticator app.',
    location: 'mfa.md',
    url: 'https://contoso.example/mfa',
  });
  session.noteTool('search_knowledge');
  return { context, session, streamer, sent, setAttachments: sinon.spy(streamer, 'setAttachments') };
}

function answer(content: string): PromptResponse<string> {
  return { status: 'success', message: { role: 'assistant', content } };
}

function toolCall(): PromptResponse<string> {
  return {
    status: 'success',
    message: {
      role: 'assistant',
      content: undefined,
      action_calls: [
        {
          id: 'call-1',
          type: 'function',
          function: { name: 'search_knowledge', arguments: '{"query":"VPN"}' },
        },
      ],
    },
  };
}

describe('citedSources', () => {
  it('returns only the sources the text cites, in position order, whatever order the text uses', () => {
    const { session } = turnWithSession();
    const cited = citedSources(session, 'Register MFA first [3], then install GlobalProtect [1] [3].');
    assert.deepEqual(cited, [
      { position: 1, title: 'VPN guide', snippet: 'Install GlobalProtect.' },
      {
        position: 3,
        title: 'MFA setup',
        snippet: 'Register the Authenticator app.',
        url: 'https://contoso.example/mfa',
      },
    ]);
  });

  it('counts [docN] markers and ignores markers without a source', () => {
    const { session } = turnWithSession();
    assert.deepEqual(
      citedSources(session, 'See [doc2] and [9].').map((source) => source.position),
      [2],
    );
  });

  it('returns nothing for a text without markers', () => {
    const { session } = turnWithSession();
    assert.deepEqual(citedSources(session, 'No citations here.'), []);
  });
});

describe('answerCardHandler', () => {
  afterEach(() => sinon.restore());

  it('attaches one Adaptive Card listing the cited sources and the tools to an answer', async () => {
    const { context, session, streamer, setAttachments, sent } = turnWithSession();
    streamer.queueTextChunk('Register MFA [3], then install GlobalProtect [1].');
    runTurn(session, () =>
      answerCardHandler({ offlineModel: false })(context, undefined, answer(streamer.getMessage())),
    );

    assert.equal(setAttachments.callCount, 1);
    const [attachments] = setAttachments.firstCall.args;
    assert.equal(attachments.length, 1);
    assert.equal(attachments[0].contentType, ADAPTIVE_CARD);
    const { texts, problems } = readCard(attachments[0].content);
    assert.deepEqual(problems, []);
    assert.ok(texts.includes('[1] VPN guide'), texts.join(' | '));
    assert.ok(texts.includes('[3] [MFA setup](https://contoso.example/mfa)'), texts.join(' | '));
    assert.ok(!texts.some((text) => text.includes('Expense policy')), 'an uncited source is not listed');
    assert.ok(texts.includes(translate('en-US', 'tool.search_knowledge')), texts.join(' | '));
    assert.ok(!texts.includes(translate('en-US', 'notice.offline')));

    await streamer.endStream();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].attachments, attachments, 'the final message carries the card');
  });

  it('says on the card when the offline model answered', () => {
    const { context, session, streamer, setAttachments } = turnWithSession();
    streamer.queueTextChunk('Offline answer.');
    runTurn(session, () =>
      answerCardHandler({ offlineModel: true })(context, undefined, answer(streamer.getMessage())),
    );
    const { texts } = readCard(setAttachments.firstCall.args[0][0].content);
    assert.ok(texts.includes(translate('en-US', 'notice.offline')), texts.join(' | '));
  });

  it('treats an empty action_calls list as an answer', () => {
    const { context, session, setAttachments } = turnWithSession();
    const response = answer('Done.');
    response.message!.action_calls = [];
    runTurn(session, () => answerCardHandler({ offlineModel: false })(context, undefined, response));
    assert.equal(setAttachments.callCount, 1);
  });

  it('attaches nothing when the model call ended with tool calls', () => {
    const { context, session, setAttachments } = turnWithSession();
    runTurn(session, () => answerCardHandler({ offlineModel: false })(context, undefined, toolCall()));
    assert.equal(setAttachments.callCount, 0);
  });

  it('attaches nothing when the model call failed', () => {
    const { context, session, setAttachments } = turnWithSession();
    runTurn(session, () =>
      answerCardHandler({ offlineModel: false })(context, undefined, {
        status: 'error',
        error: new Error('rate limited'),
      }),
    );
    assert.equal(setAttachments.callCount, 0);
  });

  it('does nothing on a turn without a session', () => {
    const { setAttachments } = turnWithSession();
    const otherTurn = new TurnContext(new TestAdapter(), { type: 'message', channelId: 'msteams' });
    assert.doesNotThrow(() => answerCardHandler({ offlineModel: false })(otherTurn, undefined, answer('Hi')));
    assert.equal(setAttachments.callCount, 0);
  });
});
