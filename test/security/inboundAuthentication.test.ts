import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { postAndWaitForAnswer } from '../support/answers';
import { capturingLogger, type CapturedLog } from '../support/capturingLogger';
import { startFakeBotFrameworkAuth, type FakeBotFrameworkAuth } from '../support/fakeBotFrameworkAuth';
import { StaticBotCredentials } from '../support/staticBotCredentials';
import { startTestBot, userMessage, type TestBot } from '../support/testBot';
import { waitFor } from '../support/waitFor';

const BOT_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const OTHER_APP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const BOT_BEARER_TOKEN = 'outbound-bot-token-for-tests';

describe('inbound authentication: the Bot Connector token is validated on every request', function () {
  this.timeout(60000);
  let auth: FakeBotFrameworkAuth;
  let bot: TestBot;
  /** The Authorization header the next post carries (undefined: none). */
  let authorization: string | undefined;
  let log: CapturedLog;

  before(async () => {
    auth = await startFakeBotFrameworkAuth();
    // The product's logger (scrubbing included), so the test reads exactly the lines the bot writes.
    log = capturingLogger({ level: 'info', product: true });
    bot = await startTestBot({
      logger: log.logger,
      env: {
        BOT_ID,
        BOT_PASSWORD: 'client-secret-never-used-by-msal-here',
        BOT_OPENID_METADATA_URL: auth.openIdMetadataUrl,
        BOT_TOKEN_ISSUER: auth.issuer,
      },
      botCredentials: new StaticBotCredentials(BOT_ID, BOT_BEARER_TOKEN),
      headers: (): Record<string, string> => (authorization ? { authorization } : {}),
    });
  });
  after(async () => {
    await bot.close();
    await auth.close();
  });
  beforeEach(() => {
    authorization = undefined;
  });
  afterEach(() => sinon.restore());

  const token = (claims: Partial<Parameters<FakeBotFrameworkAuth['mintChannelToken']>[0]> = {}) =>
    `Bearer ${auth.mintChannelToken({ audience: BOT_ID, serviceUrl: bot.connector.url, ...claims })}`;

  /**
   * Posts with the given Authorization and checks the refusal: 401 with a body that does not say why, exactly
   * one log line (a warning with a short reason, no stack, nothing on stderr or the console), no model request
   * and nothing sent. Returns the reason logged.
   */
  async function assertRefused(header: string | undefined, conversationId: string): Promise<string> {
    authorization = header;
    const requestsBefore = bot.model.requests.length;
    const linesBefore = log.lines.length;
    // botbuilder used to print each refused token with console.error: a multi-line stack trace on stderr.
    const stderr = sinon.stub(process.stderr, 'write').returns(true);
    const consoleCalls = (['error', 'warn', 'log', 'info'] as const).map((name) => sinon.stub(console, name));
    let response: { status: number; body: string };
    try {
      response = await bot.post(userMessage('How do I connect to the VPN?', { conversationId }));
      await waitFor(() => false, 300);
    } finally {
      stderr.restore();
      for (const stub of consoleCalls) stub.restore();
    }
    assert.equal(response.status, 401, `answered ${response.status}: ${response.body}`);
    assert.deepEqual(JSON.parse(response.body), { error: 'Unauthorized' }, 'the body does not explain');
    assert.equal(stderr.callCount, 0, `nothing on stderr: ${stderr.args.map(String).join('')}`);
    for (const stub of consoleCalls) assert.equal(stub.callCount, 0, 'nothing printed past the logger');

    const lines = log.raw.slice(linesBefore);
    assert.equal(lines.length, 1, `one log line:\n${lines.join('')}`);
    const line = log.lines[linesBefore];
    assert.equal(line.level, 40, 'a warning');
    assert.equal(line.msg, 'refused an inbound request whose token was rejected (401)');
    assert.equal(typeof line.reason, 'string');
    const reason = String(line.reason);
    assert.ok(reason.length > 0 && reason.length <= 160, `a short reason: ${reason}`);
    assert.equal(line.err, undefined, 'no error object');
    assert.doesNotMatch(lines[0] ?? '', /\\n\s*at |"stack"/, 'no stack trace');
    if (header) assert.ok(!lines[0]?.includes(header.replace(/^\S+\s+/, '')), 'the token is not logged');

    assert.equal(bot.connector.forConversation(conversationId).length, 0, 'nothing was sent');
    assert.equal(bot.model.requests.length, requestsBefore, 'the model was not asked');
    return reason;
  }

  it('accepts a valid token and posts the answer to the connector with the bot’s own bearer token', async () => {
    authorization = token();
    const response = await postAndWaitForAnswer(
      bot,
      userMessage('How do I connect to the VPN?', { conversationId: 'valid-token-chat' }),
    );
    assert.equal(response.status, 200);
    const sent = bot.connector.forConversation('valid-token-chat');
    assert.ok(sent.length >= 2, 'the answer streamed');
    for (const activity of sent) {
      assert.equal(activity.authorization, `Bearer ${BOT_BEARER_TOKEN}`, 'each send carries the bot’s token');
    }
    assert.match(sent.at(-1)!.body.text ?? '', /VPN/i);
    assert.ok(auth.keyFetches >= 1, 'the signing keys came from the OpenID metadata’s JWKS');
  });

  it('refuses a request without an Authorization header', async () => {
    assert.match(await assertRefused(undefined, 'no-header-chat'), /not authorized/i);
  });

  it('refuses a token for another bot (wrong audience)', async () => {
    assert.match(await assertRefused(token({ audience: OTHER_APP_ID }), 'wrong-audience-chat'), /AppId/);
  });

  it('refuses an expired token (beyond botbuilder’s five-minute clock tolerance)', async () => {
    assert.match(await assertRefused(token({ expiresInSeconds: -600 }), 'expired-chat'), /expired/);
  });

  it('refuses a token with a bad signature with 401, not the 500 botbuilder would answer', async () => {
    // botbuilder also prints the whole public key to stderr here; the guard drops it.
    assert.match(await assertRefused(token({ signWithForeignKey: true }), 'bad-signature-chat'), /signature/);
  });

  it('refuses a token from another issuer', async () => {
    await assertRefused(token({ issuer: 'https://attacker.example' }), 'wrong-issuer-chat');
  });

  it('refuses a token whose serviceurl claim differs from activity.serviceUrl', async () => {
    const reason = await assertRefused(
      token({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }),
      'service-url-mismatch-chat',
    );
    assert.match(reason, /ServiceUrl/);
  });

  it('refuses garbage in place of a token', async () => {
    await assertRefused('Bearer not.a.jwt', 'garbage-token-chat');
    await assertRefused('Basic dXNlcjpwYXNz', 'basic-auth-chat');
  });

  it('refuses with 403, and sends nothing, a validly signed activity whose serviceUrl is not on the allow-list', async () => {
    const serviceUrl = 'https://attacker.example/';
    authorization = `Bearer ${auth.mintChannelToken({ audience: BOT_ID, serviceUrl })}`;
    const requestsBefore = bot.model.requests.length;
    const sentBefore = bot.connector.activities.length;
    const response = await bot.post({
      ...userMessage('How do I connect to the VPN?', { conversationId: 'foreign-service-url-chat' }),
      serviceUrl,
    });
    assert.equal(response.status, 403);
    await waitFor(() => false, 300);
    assert.equal(bot.model.requests.length, requestsBefore, 'no turn ran');
    assert.equal(bot.connector.activities.length, sentBefore, 'nothing was sent anywhere');
  });
});
