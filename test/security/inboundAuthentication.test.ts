import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { postAndWaitForAnswer } from '../support/answers';
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
  let botbuilderConsole: sinon.SinonStub;

  before(async () => {
    auth = await startFakeBotFrameworkAuth();
    bot = await startTestBot({
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
    // botbuilder prints every refused token with console.error; keep the output readable.
    botbuilderConsole = sinon.stub(console, 'error');
  });
  afterEach(() => botbuilderConsole.restore());

  const token = (claims: Partial<Parameters<FakeBotFrameworkAuth['mintChannelToken']>[0]> = {}) =>
    `Bearer ${auth.mintChannelToken({ audience: BOT_ID, serviceUrl: bot.connector.url, ...claims })}`;

  /** Posts with the given Authorization and checks that the bot neither asked the model nor sent anything. */
  async function assertRefused(
    header: string | undefined,
    conversationId: string,
    status = 401,
  ): Promise<string> {
    authorization = header;
    const requestsBefore = bot.model.requests.length;
    const response = await bot.post(userMessage('How do I connect to the VPN?', { conversationId }));
    assert.equal(response.status, status, `answered ${response.status}: ${response.body}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(bot.connector.forConversation(conversationId).length, 0, 'nothing was sent');
    assert.equal(bot.model.requests.length, requestsBefore, 'the model was not asked');
    return response.body;
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
    await assertRefused(undefined, 'no-header-chat');
  });

  it('refuses a token for another bot (wrong audience)', async () => {
    await assertRefused(token({ audience: OTHER_APP_ID }), 'wrong-audience-chat');
  });

  it('refuses an expired token (beyond botbuilder’s five-minute clock tolerance)', async () => {
    await assertRefused(token({ expiresInSeconds: -600 }), 'expired-chat');
  });

  it('refuses a token with a bad signature with 401, not the 500 botbuilder would answer', async () => {
    const body = await assertRefused(token({ signWithForeignKey: true }), 'bad-signature-chat');
    assert.ok(!body.includes('at '), 'no stack trace in the answer');
  });

  it('refuses a token from another issuer', async () => {
    await assertRefused(token({ issuer: 'https://attacker.example' }), 'wrong-issuer-chat');
  });

  it('refuses a token whose serviceurl claim differs from activity.serviceUrl', async () => {
    await assertRefused(
      token({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }),
      'service-url-mismatch-chat',
    );
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
