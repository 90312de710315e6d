import { strict as assert } from 'node:assert';
import type { ChatRequest, ScriptedReply } from '../../dev/offline-model';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { streamInfoOf, type ReceivedActivity } from '../support/fakeBotConnector';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';

/** The parameters reasoning models refuse (docs/teams-platform-facts.md §10). */
const REFUSED_BY_REASONING = ['max_tokens', 'temperature', 'top_p', 'presence_penalty', 'frequency_penalty'];

const FAILURE_NOTICE = /couldn't get an answer from the language model/;

function finalMessage(activities: ReceivedActivity[]): ReceivedActivity {
  const final = activities.filter((activity) => activity.body.type === 'message').at(-1);
  assert.ok(final, 'a final message was sent');
  return final;
}

/** Whether the request is part of the turn that asked `question` (the question is its last user message). */
function asks(request: ChatRequest, question: string): boolean {
  const user = request.messages.filter((message) => message.role === 'user').at(-1);
  return user?.content === question;
}

/** The request as the wire carried it, for field-by-field assertions. */
function fieldsOf(request: ChatRequest): Record<string, unknown> {
  return request as unknown as Record<string, unknown>;
}

/** Asserts a reasoning model's request: its limit and effort, and none of the refused fields. */
function assertReasoningRequest(request: ChatRequest, effort: string): void {
  assert.equal(typeof request.max_completion_tokens, 'number', 'max_completion_tokens is sent');
  assert.ok(request.max_completion_tokens! > 1000, 'the answer budget plus room for reasoning');
  assert.equal(request.reasoning_effort, effort);
  for (const name of REFUSED_BY_REASONING)
    assert.equal(fieldsOf(request)[name], undefined, `${name} is sent`);
}

describe('model families through the whole bot (OpenAI route, offline model enforcing the rules)', function () {
  this.timeout(60000);
  let bot: TestBot;
  const log = capturingLogger('warn');

  before(async () => {
    // Paced slowly enough for the answer to arrive in streaming updates before the final message.
    bot = await startTestBot({
      env: { OPENAI_MODEL: 'gpt-5-mini' },
      model: { tokensPerSecond: 20 },
      logger: log.logger,
    });
  });
  after(() => bot.close());

  it('streams an answer from gpt-5-mini with max_completion_tokens and reasoning_effort, nothing it refuses', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'gpt5-chat' }),
    );
    const sent = bot.connector.forConversation('gpt5-chat');
    const final = finalMessage(sent);
    assert.equal(streamInfoOf(final.body)?.streamType, 'final');
    assert.match(final.body.text ?? '', /\[1\]/, 'the answer cites the knowledge base');
    assert.doesNotMatch(final.body.text ?? '', FAILURE_NOTICE);
    assert.ok(
      sent.some((activity) => streamInfoOf(activity.body)?.streamType === 'streaming'),
      'the answer was streamed',
    );
    const requests = bot.model.requests.filter((request) => asks(request, 'How do I connect to the VPN?'));
    assert.equal(requests.length, 2, 'tool round and answer, nothing refused and sent again');
    for (const request of requests) {
      assert.equal(request.model, 'gpt-5-mini');
      assert.equal(request.stream, true);
      assertReasoningRequest(request, 'low');
    }
    assert.deepEqual(
      log.lines.filter((line) => line.msg === 'the model call failed'),
      [],
      'no call failed',
    );
  });
});

describe('a reasoning model configured as chat: every refused parameter dropped once and remembered', function () {
  this.timeout(60000);
  let bot: TestBot;
  const log = capturingLogger('warn');

  before(async () => {
    bot = await startTestBot({
      env: { OPENAI_MODEL: 'gpt-5-mini', MODEL_FAMILY: 'chat' },
      logger: log.logger,
    });
  });
  after(() => bot.close());

  it('moves max_tokens to max_completion_tokens and drops the sampling parameters, then answers', async () => {
    await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'adapt-1' }),
    );
    assert.doesNotMatch(
      finalMessage(bot.connector.forConversation('adapt-1')).body.text ?? '',
      FAILURE_NOTICE,
    );
    const requests = bot.model.requests.filter((request) => asks(request, 'How do I connect to the VPN?'));
    // The first call: refused for max_tokens, presence_penalty, frequency_penalty, temperature, then answered.
    assert.equal(requests.length, 5 + 1, 'four refusals, then the tool round, then the answer');
    assert.equal(requests[0].max_tokens, 1000);
    const accepted = requests.slice(4);
    for (const request of accepted) {
      assert.equal(request.max_completion_tokens, 1000, 'the same budget under the name the model takes');
      assert.equal(request.top_p, 1, 'top_p 1 is taken, so it stays');
      for (const name of ['max_tokens', 'temperature', 'presence_penalty', 'frequency_penalty']) {
        assert.equal(fieldsOf(request)[name], undefined, `${name} is sent`);
      }
      assert.equal(request.reasoning_effort, undefined, 'chat family: no effort');
    }
    const warnings = log.lines.filter((line) =>
      String(line.msg).startsWith('the model refused a request parameter'),
    );
    assert.deepEqual(
      warnings.map((line) => line.param),
      ['max_tokens', 'presence_penalty', 'frequency_penalty', 'temperature'],
    );
    assert.ok(warnings.every((line) => line.level === 40 && line.model === 'gpt-5-mini'));
  });

  it('sends none of them on the next turn and logs nothing more', async () => {
    const before = bot.model.requests.length;
    await postAndWaitForAnswer(
      bot,
      userMessage('How do I reset my password?', { conversationId: 'adapt-2' }),
    );
    const requests = bot.model.requests.slice(before);
    assert.equal(requests.length, 2, 'no refusal: tool round and answer');
    for (const request of requests) assert.equal(request.max_completion_tokens, 1000);
    assert.equal(
      log.lines.filter((line) => String(line.msg).startsWith('the model refused a request parameter')).length,
      4,
    );
  });
});

describe('model refusals and faults through the real OpenAIModel path', function () {
  this.timeout(60000);
  let bot: TestBot;
  const log = capturingLogger('warn');
  const arrivals = new Map<string, number[]>();
  const script = (request: ChatRequest): ScriptedReply | undefined => {
    const question = request.messages.filter((message) => message.role === 'user').at(-1)?.content;
    if (typeof question !== 'string' || !question.startsWith('fault ')) return undefined;
    const times = arrivals.get(question) ?? [];
    times.push(Date.now());
    arrivals.set(question, times);
    if (question === 'fault extra parameter' && request.frequency_penalty !== undefined) {
      return {
        kind: 'httpError',
        status: 400,
        body: {
          error: {
            message: "Unsupported parameter: 'frequency_penalty' is not supported with this model.",
            type: 'invalid_request_error',
            param: 'frequency_penalty',
            code: 'unsupported_parameter',
          },
        },
      };
    }
    if (question === 'fault bad request') {
      return {
        kind: 'httpError',
        status: 400,
        body: {
          error: {
            message: "Invalid 'messages[1].content': string too long.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'string_above_max_length',
          },
        },
      };
    }
    if (question === 'fault unsupported messages') {
      // A refusal of something the request cannot do without is final too.
      return {
        kind: 'httpError',
        status: 400,
        body: {
          error: {
            message: 'nope',
            type: 'invalid_request_error',
            param: 'messages',
            code: 'unsupported_value',
          },
        },
      };
    }
    if (question === 'fault not found') return { kind: 'httpError', status: 404 };
    if (question === 'fault throttled' && times.length === 1) {
      return { kind: 'httpError', status: 429, retryAfterSeconds: 2 };
    }
    if (question === 'fault unavailable' && times.length <= 2) return { kind: 'httpError', status: 503 };
    return { kind: 'text', text: `Answer to ${question}.` };
  };

  before(async () => {
    bot = await startTestBot({ model: { script }, logger: log.logger });
  });
  after(() => bot.close());

  it('sends a call once more without a parameter the model refuses, and never again after that', async () => {
    await postAndWaitForAnswer(bot, userMessage('fault extra parameter', { conversationId: 'extra-1' }));
    assert.equal(
      finalMessage(bot.connector.forConversation('extra-1')).body.text,
      'Answer to fault extra parameter.',
    );
    const requests = bot.model.requests.filter((request) => asks(request, 'fault extra parameter'));
    assert.deepEqual(
      requests.map((request) => request.frequency_penalty),
      [0, undefined],
      'exactly one retry, without the parameter',
    );
    assert.equal(requests[1].temperature, 0.7, 'everything else is sent as before');

    await postAndWaitForAnswer(bot, userMessage('fault extra parameter', { conversationId: 'extra-2' }));
    const all = bot.model.requests.filter((request) => asks(request, 'fault extra parameter'));
    assert.equal(all.length, 3, 'the next turn is not refused');
    assert.equal(all[2].frequency_penalty, undefined, 'the next turn does not send it');
    const warnings = log.lines.filter((line) =>
      String(line.msg).startsWith('the model refused a request parameter'),
    );
    assert.equal(warnings.length, 1, 'logged once');
    assert.equal(warnings[0].param, 'frequency_penalty');
    assert.equal(warnings[0].model, 'test-model');
  });

  for (const [question, status] of [
    ['fault bad request', 400],
    ['fault unsupported messages', 400],
    ['fault not found', 404],
  ] as const) {
    it(`does not retry a ${status} (${question}): one request, then the polite failure notice`, async () => {
      const conversationId = question.replace(/ /g, '-');
      await postAndWaitForAnswer(bot, userMessage(question, { conversationId }));
      assert.equal(
        bot.model.requests.filter((request) => asks(request, question)).length,
        1,
        'exactly one request',
      );
      const final = finalMessage(bot.connector.forConversation(conversationId));
      assert.match(final.body.text ?? '', FAILURE_NOTICE);
      assert.match(final.body.text ?? '', /\(error id: [0-9a-f]{8}\)/);
      assert.equal(streamInfoOf(final.body)?.streamType, 'final');
      const failed = log.lines.find((line) => line.msg === 'the model call failed' && line.status === status);
      assert.ok(failed, 'the provider error is logged with its status');
    });
  }

  it('retries a 429 after its Retry-After, through the real OpenAIModel', async () => {
    await postAndWaitForAnswer(bot, userMessage('fault throttled', { conversationId: 'throttled' }));
    const times = arrivals.get('fault throttled') ?? [];
    assert.equal(times.length, 2);
    assert.ok(times[1] - times[0] >= 2000, `retried after ${times[1] - times[0]} ms, Retry-After was 2 s`);
    assert.equal(
      finalMessage(bot.connector.forConversation('throttled')).body.text,
      'Answer to fault throttled.',
    );
  });

  it('retries a 503 before the first token, as before', async () => {
    await postAndWaitForAnswer(bot, userMessage('fault unavailable', { conversationId: 'unavailable' }));
    assert.equal(arrivals.get('fault unavailable')?.length, 3);
    assert.equal(
      finalMessage(bot.connector.forConversation('unavailable')).body.text,
      'Answer to fault unavailable.',
    );
  });
});
