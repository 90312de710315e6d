import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import OpenAI from 'openai';
import { ModelCallError, modelFamilyOf, shapeForFamily } from '../../src/model';
import { startOfflineModel, type RunningOfflineModel } from '../../dev/offline-model';
import { RefusedParameters, refusedParameterOf, withoutParameter } from '../../src/model/refusedParameters';

/** What teams-ai 1.7.4's OpenAIModel sends from prompts/chat/config.json. */
const TEAMS_AI_BODY = {
  model: 'gpt-5-mini',
  messages: [{ role: 'user', content: 'hi' }],
  max_tokens: 1000,
  temperature: 0.7,
  top_p: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  stream: true,
  tool_choice: 'auto',
} as const;

describe('model families', () => {
  it('recognises reasoning models by name, dated snapshots and provider prefixes included', () => {
    for (const name of [
      'o1',
      'o1-mini',
      'o3-mini',
      'o3-mini-2025-01-31',
      'o4-mini',
      'o3-pro',
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-nano',
      'gpt-5.1',
      'gpt-5.1-2025-11-13',
      'gpt-5-2025-08-07',
      'GPT-5-Mini',
      'openai/gpt-5-mini',
    ]) {
      assert.equal(modelFamilyOf(name), 'reasoning', name);
    }
    for (const name of [
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-4.1',
      'gpt-4.1-nano',
      'gpt-35-turbo',
      'llama3.1',
      'omni-x',
      'gpt-50',
      'answers-prod',
      'test-model',
    ]) {
      assert.equal(modelFamilyOf(name), 'chat', name);
    }
  });

  it('shapes a reasoning request: the limit under its new name with room to reason, the effort, no sampling', () => {
    const shaped = shapeForFamily(
      { ...TEAMS_AI_BODY, logprobs: true, logit_bias: { 1: 2 } },
      'reasoning',
      'low',
    );
    assert.deepEqual(shaped, {
      model: 'gpt-5-mini',
      messages: TEAMS_AI_BODY.messages,
      max_completion_tokens: 5000,
      reasoning_effort: 'low',
      stream: true,
      tool_choice: 'auto',
    });
  });

  it('leaves a chat request as teams-ai built it, without any reasoning effort', () => {
    assert.deepEqual(
      shapeForFamily({ ...TEAMS_AI_BODY, reasoning_effort: 'high' }, 'chat', 'high'),
      TEAMS_AI_BODY,
    );
  });
});

describe('refused parameters', () => {
  const refusal = (param: string, code = 'unsupported_parameter', status = 400): unknown =>
    new OpenAI.APIError(status, { message: 'no', type: 'invalid_request_error', param, code }, undefined, {});

  it('reads a 400 unsupported_parameter/unsupported_value for an optional parameter, nothing else', () => {
    assert.deepEqual(refusedParameterOf(refusal('max_tokens')), {
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
    assert.deepEqual(refusedParameterOf(refusal('temperature', 'unsupported_value')), {
      param: 'temperature',
      code: 'unsupported_value',
    });
    assert.equal(refusedParameterOf(refusal('messages')), undefined, 'not an optional parameter');
    assert.equal(refusedParameterOf(refusal('temperature', 'invalid_value')), undefined, 'another code');
    assert.equal(
      refusedParameterOf(refusal('temperature', 'unsupported_value', 422)),
      undefined,
      'not a 400',
    );
    assert.equal(refusedParameterOf(new Error('unsupported_parameter')), undefined);
  });

  it('moves a refused max_tokens to max_completion_tokens unless that is refused or set too', () => {
    assert.deepEqual(withoutParameter({ max_tokens: 10, a: 1 }, 'max_tokens'), {
      a: 1,
      max_completion_tokens: 10,
    });
    assert.deepEqual(
      withoutParameter({ max_tokens: 10 }, 'max_tokens', new Set(['max_completion_tokens'])),
      {},
    );
    assert.deepEqual(withoutParameter({ max_tokens: 10, max_completion_tokens: 5 }, 'max_tokens'), {
      max_completion_tokens: 5,
    });
    assert.deepEqual(withoutParameter({ top_p: 0.5, a: 1 }, 'top_p'), { a: 1 });
  });

  it('remembers refusals per model, says when one is new, and leaves them out of that model’s requests only', () => {
    const refused = new RefusedParameters();
    assert.equal(refused.remember('gpt-5-mini', 'top_p'), true);
    assert.equal(refused.remember('gpt-5-mini', 'top_p'), false, 'known already');
    assert.equal(refused.remember('gpt-5-mini', 'max_tokens'), true);
    assert.deepEqual(refused.applyTo('gpt-5-mini', { top_p: 1, max_tokens: 7, seed: 1 }), {
      seed: 1,
      max_completion_tokens: 7,
    });
    assert.deepEqual(refused.applyTo('gpt-4o', { top_p: 1, max_tokens: 7 }), { top_p: 1, max_tokens: 7 });
  });
});

describe('ModelCallError', () => {
  const secret = 'echoed-secret-value-123';

  it('keeps the status, a snake_case code and the Retry-After, and prints one line without upstream text', () => {
    const upstream = new OpenAI.APIError(
      429,
      { message: `Rate limit for ${secret}`, type: 'requests', code: 'rate_limit_exceeded', param: secret },
      undefined,
      { 'retry-after': '7', 'x-echo': secret, 'retry-after-ms': secret },
    );
    const error = ModelCallError.from(upstream);
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.isRetryable, true);
    assert.deepEqual(error.headers, { 'retry-after': '7' });
    assert.equal(
      inspect(error),
      'ModelCallError: the model endpoint answered HTTP 429 (rate_limit_exceeded)',
    );
    assert.equal(String(error), inspect(error));
    assert.ok(!JSON.stringify({ ...error, message: error.message, stack: error.stack }).includes(secret));
  });

  it('decides retryability by status: 400, 401, 404 and an exhausted quota are final; 408, 429, 5xx and broken streams are not', () => {
    const of = (status: number, code?: string): boolean =>
      ModelCallError.from(new OpenAI.APIError(status, { message: 'x', code }, undefined, {})).isRetryable;
    assert.deepEqual(
      [400, 401, 403, 404, 409, 422].map((status) => of(status)),
      [false, false, false, false, false, false],
    );
    assert.deepEqual(
      [408, 429, 500, 503].map((status) => of(status)),
      [true, true, true, true],
    );
    assert.equal(of(429, 'insufficient_quota'), false);
    assert.equal(ModelCallError.from(new TypeError('terminated')).isRetryable, true);
    assert.equal(ModelCallError.from(new OpenAI.APIUserAbortError()).isRetryable, false);
    assert.equal(
      ModelCallError.from(new OpenAI.APIError(400, { message: 'x', code: secret }, undefined, {})).code,
      undefined,
    );
  });
});

describe('offline model: the rules of reasoning models (docs/teams-platform-facts.md §10)', () => {
  let model: RunningOfflineModel;
  let client: OpenAI;
  before(async () => {
    model = await startOfflineModel({
      timeToFirstTokenMs: 0,
      tokensPerSecond: 1000,
      reasoningModels: ['my-deployment'],
    });
    client = new OpenAI({ baseURL: model.baseUrl, apiKey: 'offline', maxRetries: 0 });
  });
  after(() => model.close());

  /** The API error a request body gets, or undefined when it is answered. */
  async function refusalOf(
    body: Record<string, unknown>,
  ): Promise<InstanceType<typeof OpenAI.APIError> | undefined> {
    try {
      await client.chat.completions.create({ messages: [{ role: 'user', content: 'x' }], ...body } as never);
      return undefined;
    } catch (error) {
      assert.ok(error instanceof OpenAI.APIError);
      return error;
    }
  }

  it('refuses max_tokens for a reasoning model, as OpenAI does', async () => {
    const error = await refusalOf({ model: 'gpt-5-mini', max_tokens: 100 });
    assert.equal(error?.status, 400);
    assert.equal(error?.code, 'unsupported_parameter');
    assert.equal(error?.param, 'max_tokens');
    assert.equal(error?.type, 'invalid_request_error');
    assert.equal(
      error?.message,
      "400 Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    );
  });

  it('refuses temperature and top_p other than 1, and the penalties, for a reasoning model or deployment', async () => {
    const temperature = await refusalOf({ model: 'o3-mini', temperature: 0.7 });
    assert.equal(temperature?.code, 'unsupported_value');
    assert.equal(temperature?.param, 'temperature');
    assert.match(
      temperature?.message ?? '',
      /'temperature' does not support 0.7 with this model. Only the default \(1\) value is supported./,
    );
    assert.equal((await refusalOf({ model: 'gpt-5', top_p: 0.9 }))?.param, 'top_p');
    assert.equal(
      (await refusalOf({ model: 'my-deployment', presence_penalty: 0 }))?.code,
      'unsupported_parameter',
    );
    assert.equal((await refusalOf({ model: 'gpt-5.1', frequency_penalty: 0.5 }))?.param, 'frequency_penalty');
    assert.equal(
      await refusalOf({
        model: 'gpt-5',
        temperature: 1,
        top_p: 1,
        max_completion_tokens: 50,
        reasoning_effort: 'low',
      }),
      undefined,
    );
  });

  it('refuses reasoning_effort for a classic model and takes its usual parameters', async () => {
    const error = await refusalOf({ model: 'gpt-4o', reasoning_effort: 'low' });
    assert.equal(error?.status, 400);
    assert.equal(error?.code, 'unsupported_parameter');
    assert.equal(error?.param, 'reasoning_effort');
    assert.equal(
      await refusalOf({ model: 'gpt-4o', max_tokens: 10, temperature: 0.7, presence_penalty: 0 }),
      undefined,
    );
  });

  it('cuts the answer at max_completion_tokens', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'How do I connect to the VPN?' }],
      max_completion_tokens: 3,
    });
    assert.equal(completion.choices[0]?.finish_reason, 'length');
  });
});
