import { strict as assert } from 'node:assert';
import { ActivityTypes } from 'botbuilder';
import fc from 'fast-check';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger } from '../support/capturingLogger';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

/** How many generated requests each property sends (three properties). */
const RUNS_PER_PROPERTY = Number(process.env.FUZZ_RUNS ?? 1000);

/** Error lines only, to keep memory flat. */
const isErrorLine = (line: Record<string, unknown>) => typeof line.level === 'number' && line.level >= 50;

const knownTypes = Object.values(ActivityTypes) as string[];
const text = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** Accounts and conversations: mostly well-formed, sometimes not. */
const account = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      { id: text(40), name: maybe(text(40)), aadObjectId: maybe(text(40)) },
      { requiredKeys: ['id'] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const conversation = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        id: text(60),
        conversationType: maybe(fc.constantFrom('personal', 'groupChat', 'channel', 'other')),
        tenantId: maybe(text(40)),
        isGroup: maybe(fc.boolean()),
      },
      { requiredKeys: ['id'] },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Activities shaped like Bot Framework activities, with every field sometimes missing, odd or hostile. */
function structuredActivity(serviceUrl: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...knownTypes) },
        { weight: 1, arbitrary: text(20) },
      ),
      id: fc.oneof(text(30), fc.integer()),
      channelId: fc.oneof(fc.constant('msteams'), text(10)),
      serviceUrl: fc.oneof(
        { weight: 6, arbitrary: fc.constant(serviceUrl) },
        { weight: 1, arbitrary: fc.webUrl() },
        { weight: 1, arbitrary: text(30) },
      ),
      timestamp: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        text(20),
      ),
      from: account,
      recipient: account,
      conversation,
      text: fc.oneof(
        text(300),
        fc.string({ unit: 'grapheme', maxLength: 3000 }),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      textFormat: fc.constantFrom('plain', 'markdown', 'xml'),
      locale: fc.oneof(fc.constantFrom('en-US', 'de-DE', 'fr', 'es-MX', 'zz-ZZ', ''), text(12)),
      name: fc.oneof(
        fc.constantFrom('message/submitAction', 'message/fetchTask', 'adaptiveCard/action'),
        text(30),
      ),
      value: fc.oneof(
        fc.record({
          actionName: fc.constantFrom('feedback', 'other'),
          actionValue: fc.oneof(
            fc.record({
              reaction: fc.constantFrom('like', 'dislike', 'meh'),
              feedback: fc.oneof(text(100), fc.jsonValue()),
            }),
            fc.jsonValue({ maxDepth: 2 }),
          ),
        }),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      replyToId: text(30),
      channelData: fc.oneof(
        fc.record({ tenant: fc.record({ id: text(20) }), feedbackLoopEnabled: fc.boolean() }),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      entities: fc.oneof(
        fc.array(
          fc.record({
            type: fc.oneof(fc.constantFrom('mention', 'clientInfo', 'streaminfo'), text(10)),
            text: maybe(text(30)),
          }),
          { maxLength: 80 },
        ),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      attachments: fc.oneof(
        fc.array(fc.record({ contentType: text(30), content: fc.jsonValue({ maxDepth: 2 }) }), {
          maxLength: 40,
        }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      membersAdded: fc.array(account, { maxLength: 5 }),
      deliveryMode: fc.constantFrom('normal', 'expectReplies', 'notification', 'ephemeral'),
    },
    { requiredKeys: ['type', 'from', 'recipient', 'conversation', 'serviceUrl'] },
  );
}

/**
 * 501 Not Implemented with no body is the Bot Framework's answer to an invoke no handler takes (see the
 * inbound tests): a protocol answer, not a failure, and the one 5xx the bot gives on purpose.
 */
function isUnhandledInvoke(body: string, status: number, answer: string): boolean {
  if (status !== 501 || answer !== '') return false;
  try {
    return (JSON.parse(body) as { type?: unknown }).type === 'invoke';
  } catch {
    return false;
  }
}

describe('fuzzing POST /api/messages with generated activities (fast-check)', function () {
  this.timeout(180_000);
  let bot: TestBot;
  let errors: Array<Record<string, unknown>>;
  const statuses = new Map<number, number>();

  before(async () => {
    const captured = capturingLogger({ level: 'warn', keep: isErrorLine });
    errors = captured.lines;
    bot = await startTestBot({
      logger: captured.logger,
      model: { timeToFirstTokenMs: 0, tokensPerSecond: 5000 },
    });
  });
  after(async () => {
    await bot.close();
    const errorMessages = new Map<string, number>();
    for (const line of errors)
      errorMessages.set(String(line.msg), (errorMessages.get(String(line.msg)) ?? 0) + 1);
    console.log(`      fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    console.log(`      error log lines: ${JSON.stringify(Object.fromEntries(errorMessages))}`);
  });

  /** POSTs a raw body and checks the answer is not a server error. */
  async function post(body: string, contentType: string): Promise<void> {
    const response = await fetch(`${bot.service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const answer = await response.text();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    assert.ok(
      response.status < 500 || isUnhandledInvoke(body, response.status, answer),
      `answered ${response.status} (${answer.slice(0, 200)}) to ${body.slice(0, 500)}`,
    );
  }

  it('never answers 5xx to structured activities with odd, missing or hostile fields', async () => {
    await fc.assert(
      fc.asyncProperty(structuredActivity(bot.connector.url), (activity) =>
        post(JSON.stringify(activity), 'application/json'),
      ),
      { numRuns: RUNS_PER_PROPERTY },
    );
  });

  it('never answers 5xx to a valid message with some fields replaced by arbitrary JSON', async () => {
    let mutated = 0;
    const fields = fc.constantFrom(
      'type',
      'id',
      'text',
      'from',
      'recipient',
      'conversation',
      'channelData',
      'entities',
      'attachments',
      'locale',
      'value',
      'timestamp',
      'replyToId',
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fields, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }), (overrides) =>
        post(
          JSON.stringify({
            ...userMessage('What is the expense limit?', {
              conversationId: `fuzz-mutated-${(mutated += 1)}`,
            }),
            serviceUrl: bot.connector.url,
            ...overrides,
          }),
          'application/json',
        ),
      ),
      { numRuns: RUNS_PER_PROPERTY },
    );
  });

  it('never answers 5xx to arbitrary bodies and content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
          fc.string({ unit: 'binary', maxLength: 400 }),
        ),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
        ),
        (body, contentType) => post(body, contentType),
      ),
      { numRuns: RUNS_PER_PROPERTY },
    );
  });

  it('is still up and answers a normal message with its streamed answer afterwards', async () => {
    assert.equal((await fetch(`${bot.service.url}/healthz`)).status, 200);
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'after-fuzz-chat' }),
      { timeoutMs: 60_000 },
    );
    assert.equal(response.status, 200);
    const sent = bot.connector.forConversation('after-fuzz-chat');
    assert.ok(
      sent.some((activity) => activity.body.type === 'typing'),
      'it streamed',
    );
    assert.match(sent.at(-1)?.body.text ?? '', /VPN/i);
    assert.ok(await waitFor(() => true, 0));
    const unprocessed = errors.filter((line) => line.msg === 'an inbound activity could not be processed');
    assert.deepEqual(unprocessed, [], 'no request escaped the adapter');
    // A repeated invoke is acknowledged 200 as a retry; botbuilder's 501 for it afterwards goes nowhere.
    const ignoredFailures = errors.filter(
      (line) =>
        line.msg === 'a turn that continued after its request was acknowledged failed' && line.status !== 501,
    );
    assert.deepEqual(ignoredFailures, [], 'no acknowledged turn crashed past the adapter’s error handler');
  });
});
