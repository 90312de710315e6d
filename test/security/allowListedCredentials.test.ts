import { strict as assert } from 'node:assert';
import { ConnectorClient } from 'botframework-connector';
import { AllowListedCredentialsFactory, ServiceUrlAllowList } from '../../src/server/security';
import { ConnectorError } from '../../src/shared/errors';
import { startFakeBotConnector, type FakeBotConnector } from '../support/fakeBotConnector';
import { StaticBotCredentials } from '../support/staticBotCredentials';

const APP_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

/** A real botbuilder ConnectorClient for `serviceUrl`, with credentials from the guarded factory. */
async function connectorFor(
  serviceUrl: string,
  allowList: ServiceUrlAllowList,
  refused: Array<{ url: string; reason: unknown }>,
): Promise<ConnectorClient> {
  const factory = new AllowListedCredentialsFactory(
    new StaticBotCredentials(APP_ID, 'secret-bot-token'),
    allowList,
    (url, reason) => refused.push({ url, reason }),
  );
  const credentials = await factory.createCredentials(APP_ID, undefined, 'https://login.invalid', true);
  return new ConnectorClient(credentials, { baseUri: serviceUrl });
}

describe('AllowListedCredentialsFactory: the bot’s token never goes to a host that is not allowed', () => {
  let connector: FakeBotConnector;
  before(async () => {
    connector = await startFakeBotConnector();
  });
  after(() => connector.close());

  it('sends to an allowed host with the bot’s bearer token', async () => {
    const refused: Array<{ url: string; reason: unknown }> = [];
    const client = await connectorFor(
      connector.url,
      new ServiceUrlAllowList({ allowLoopback: true }),
      refused,
    );
    await client.conversations.sendToConversation('allowed-chat', { type: 'message', text: 'hello' });
    const sent = connector.forConversation('allowed-chat');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].authorization, 'Bearer secret-bot-token');
    assert.deepEqual(refused, []);
  });

  it('refuses to send to a host off the list: the request never leaves, with or without a token', async () => {
    const refused: Array<{ url: string; reason: unknown }> = [];
    // The same fake connector, but loopback is not allowed (as in production).
    const client = await connectorFor(
      connector.url,
      new ServiceUrlAllowList({ allowLoopback: false }),
      refused,
    );
    const before = connector.activities.length;
    await assert.rejects(
      client.conversations.sendToConversation('refused-chat', { type: 'message', text: 'hello' }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectorError, `a ConnectorError, got ${String(error)}`);
        assert.equal(error.code, 'ServiceUrlNotAllowed');
        assert.equal(error.isRetryable, false);
        assert.ok(!error.message.includes('secret-bot-token'));
        return true;
      },
    );
    await assert.rejects(
      client.conversations.replyToActivity('refused-chat', 'activity-1', { type: 'message' }),
    );
    assert.equal(connector.activities.length, before, 'the fake connector received nothing');
    assert.equal(refused.length, 2);
    assert.match(refused[0].url, /^http:\/\/127\.0\.0\.1:\d+\/v3\/conversations\/refused-chat\/activities$/);
    assert.equal(refused[0].reason, 'not https');
  });

  it('keeps the wrapped factory’s answers about app ids and anonymous mode', async () => {
    const factory = new AllowListedCredentialsFactory(
      new StaticBotCredentials(APP_ID, 'token'),
      new ServiceUrlAllowList({ allowLoopback: false }),
    );
    assert.equal(await factory.isValidAppId(APP_ID), true);
    assert.equal(await factory.isValidAppId('someone-else'), false);
    assert.equal(await factory.isAuthenticationDisabled(), false);
  });
});
