import { strict as assert } from 'node:assert';
import { startOfflineModel, type RunningOfflineModel } from '../../dev/offline-model';
import { startBotProcess, type BotProcess } from '../e2e/botProcess';
import { postAndWaitForAnswer } from '../support/answers';
import { childBotTurns } from '../support/childBotTurns';
import { startFakeBotConnector, streamInfoOf, type FakeBotConnector } from '../support/fakeBotConnector';
import { userMessage } from '../support/testBot';
import { LOOPBACK_CERT_FILE, startTlsFront, type TlsFront } from '../support/tlsLoopback';

/** A deployment name that says nothing about the model behind it. */
const DEPLOYMENT = 'answers-prod';

/**
 * The Azure OpenAI route needs https (the configuration and teams-ai refuse anything else), so the bot runs as
 * a child process that trusts the test-only loopback certificate, and reaches the offline model through a TLS
 * front. The offline model treats the deployment as a reasoning model, so it refuses what those refuse.
 */
describe('a reasoning model behind an Azure OpenAI deployment (real bot process, https, MODEL_FAMILY=reasoning)', function () {
  this.timeout(90000);
  let model: RunningOfflineModel;
  let front: TlsFront;
  let connector: FakeBotConnector;
  let bot: BotProcess | undefined;

  before(async () => {
    model = await startOfflineModel({
      timeToFirstTokenMs: 30,
      tokensPerSecond: 20,
      reasoningModels: [DEPLOYMENT],
    });
    front = await startTlsFront(Number(new URL(model.baseUrl).port));
    connector = await startFakeBotConnector();
    bot = await startBotProcess({
      env: {
        AZURE_OPENAI_ENDPOINT: front.url,
        AZURE_OPENAI_API_KEY: 'azure-test-key-0123456789',
        AZURE_OPENAI_DEPLOYMENT_NAME: DEPLOYMENT,
        MODEL_FAMILY: 'reasoning',
        REASONING_EFFORT: 'medium',
        NODE_EXTRA_CA_CERTS: LOOPBACK_CERT_FILE,
      },
    });
  });
  after(async () => {
    await bot?.stop();
    bot?.removeData();
    await connector.close();
    await front.close();
    await model.close();
  });

  it('streams the answer, sending max_completion_tokens and reasoning_effort and none of the refused fields', async () => {
    assert.ok(bot);
    await postAndWaitForAnswer(
      childBotTurns(bot, connector),
      userMessage('How do I connect to the VPN?', { conversationId: 'azure-chat' }),
      { timeoutMs: 30000 },
    );
    const sent = connector.forConversation('azure-chat');
    const final = sent.filter((activity) => activity.body.type === 'message').at(-1);
    assert.ok(final, 'a final message');
    assert.equal(streamInfoOf(final.body)?.streamType, 'final');
    assert.match(final.body.text ?? '', /\[1\]/, 'an answer citing the knowledge base');
    assert.doesNotMatch(final.body.text ?? '', /couldn't get an answer/);
    assert.ok(
      sent.some((activity) => streamInfoOf(activity.body)?.streamType === 'streaming'),
      'streamed',
    );

    assert.equal(model.requests.length, 2, 'tool round and answer, none refused');
    for (const request of model.requests) {
      assert.equal(request.model, DEPLOYMENT, 'the Azure route (the deployment is in the path)');
      assert.equal(request.stream, true);
      assert.equal(request.reasoning_effort, 'medium');
      assert.equal(typeof request.max_completion_tokens, 'number');
      const fields = request as unknown as Record<string, unknown>;
      for (const name of ['max_tokens', 'temperature', 'top_p', 'presence_penalty', 'frequency_penalty']) {
        assert.equal(fields[name], undefined, `${name} is sent`);
      }
    }
    assert.match(bot.output(), /deployment answers-prod \(API key\), reasoning model, effort medium/);
  });
});
