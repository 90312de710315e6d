import { strict as assert } from 'node:assert';
import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  composeReply,
  startOfflineModel,
  tokenize,
  type OfflineModelOptions,
  type RunningOfflineModel,
} from '../../../dev/offline-model';
import {
  ALL_TOOLS,
  onlyToolCall,
  privateClock,
  serverTimers,
  textOf,
  toolsNamed,
  userTurn,
  type FakeClock,
} from './helpers';

/** Reassembles what a streaming client would: content text and tool calls by index. */
function reassemble(chunks: readonly ChatCompletionChunk[]): {
  content: string;
  calls: Array<{ id: string; name: string; arguments: string }>;
} {
  let content = '';
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  for (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) content += delta.content;
    for (const call of delta?.tool_calls ?? []) {
      calls[call.index] ??= { id: '', name: '', arguments: '' };
      const target = calls[call.index];
      if (call.id) target.id = call.id;
      if (call.function?.name) target.name += call.function.name;
      if (call.function?.arguments) target.arguments += call.function.arguments;
    }
  }
  return { content, calls };
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Reads a whole stream while advancing the server's fake clock far enough for any reply to finish. */
async function collectWhileTicking(
  stream: AsyncIterable<ChatCompletionChunk>,
  clock: FakeClock,
): Promise<ChatCompletionChunk[]> {
  const reading = collect(stream);
  await clock.tickAsync(60_000);
  return reading;
}

describe('offline model: server', () => {
  let model: RunningOfflineModel | undefined;
  let clock: FakeClock | undefined;

  async function start(
    options: OfflineModelOptions = {},
  ): Promise<{ model: RunningOfflineModel; client: OpenAI }> {
    model = await startOfflineModel({ timeToFirstTokenMs: 0, tokensPerSecond: 2000, ...options });
    return { model, client: new OpenAI({ baseURL: model.baseUrl, apiKey: 'offline', maxRetries: 0 }) };
  }

  afterEach(async () => {
    await model?.close();
    model = undefined;
    clock?.restore();
    clock = undefined;
  });

  it('listens on 127.0.0.1 at an ephemeral port and gives a /v1 base URL', async () => {
    const { model } = await start();
    assert.match(model.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.notEqual(model.baseUrl, 'http://127.0.0.1:0/v1');
  });

  it('streams composeReply text in several chunks that reassemble to exactly that text', async () => {
    clock = privateClock();
    const { model, client } = await start({ tokensPerSecond: 40, clock: serverTimers(clock) });
    const stream = await client.chat.completions.create({
      model: 'offline',
      stream: true,
      messages: [{ role: 'user', content: 'hello' }],
    });
    const chunks = await collectWhileTicking(stream, clock);
    const expected = textOf(
      composeReply({ model: 'offline', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
    );

    assert.equal(reassemble(chunks).content, expected);
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const contentChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.content);
    assert.equal(contentChunks.length, tokenize(expected).length, 'one token per chunk at this pace');
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
    assert.equal(chunks.filter((chunk) => chunk.choices[0]?.finish_reason).length, 1);
    assert.deepEqual(model.stats, { open: 0, aborted: 0, completed: 1 });
  });

  it('streams a tool call as OpenAI does: a start chunk, then argument fragments that parse as JSON', async () => {
    clock = privateClock();
    const { client } = await start({ tokensPerSecond: 40, clock: serverTimers(clock) });
    const text = 'Create a work item called Update VPN guide assigned to Dana due 2026-12-01';
    const tools = toolsNamed(...ALL_TOOLS);
    const stream = await client.chat.completions.create({
      model: 'offline',
      stream: true,
      tools,
      messages: [{ role: 'user', content: text }],
    });
    const chunks = await collectWhileTicking(stream, clock);

    const toolChunks = chunks.filter((chunk) => chunk.choices[0]?.delta.tool_calls);
    const first = toolChunks[0]?.choices[0]?.delta.tool_calls?.[0];
    assert.equal(first?.index, 0);
    assert.match(first?.id ?? '', /^call_\w+$/);
    assert.equal(first?.type, 'function');
    assert.equal(first?.function?.name, 'create_work_item');
    assert.equal(first?.function?.arguments, '');
    assert.ok(toolChunks.length > 2, `the arguments came in ${toolChunks.length - 1} chunk(s)`);

    const [call] = reassemble(chunks).calls;
    assert.equal(call?.name, 'create_work_item');
    assert.deepEqual(JSON.parse(call?.arguments ?? ''), onlyToolCall(composeReply(userTurn(text))).args);
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
  });

  it('streams several scripted tool calls, passing invalid argument JSON through unchanged', async () => {
    const { client } = await start({
      script: () => ({
        kind: 'toolCalls',
        calls: [
          { name: 'find_work_items', arguments: '{"status":"active"}' },
          { name: 'update_work_item', arguments: '{"id": "WI-3", "status": ' },
        ],
      }),
    });
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'offline',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    const { calls } = reassemble(chunks);
    assert.deepEqual(
      calls.map((call) => [call.name, call.arguments]),
      [
        ['find_work_items', '{"status":"active"}'],
        ['update_work_item', '{"id": "WI-3", "status": '],
      ],
    );
    assert.notEqual(calls[0]?.id, calls[1]?.id);
  });

  it('answers stream:false with one chat.completion, text or tool calls', async () => {
    const { client } = await start();
    const text = await client.chat.completions.create({
      model: 'offline',
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(text.object, 'chat.completion');
    assert.match(text.choices[0]?.message.content ?? '', /^Hello! I'm the built-in offline model/);
    assert.equal(text.choices[0]?.finish_reason, 'stop');

    const tools = toolsNamed('search_knowledge');
    const call = await client.chat.completions.create({
      model: 'offline',
      tools,
      messages: [{ role: 'user', content: 'vpn setup' }],
    });
    assert.equal(call.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(call.choices[0]?.message.tool_calls?.[0]?.function.name, 'search_knowledge');
    assert.deepEqual(JSON.parse(call.choices[0]?.message.tool_calls?.[0]?.function.arguments ?? ''), {
      query: 'vpn setup',
    });
  });

  it('records every request as parsed, including the tool history of a second round', async () => {
    const { model, client } = await start();
    const tools = toolsNamed('search_knowledge');
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'offline',
        stream: true,
        tools,
        messages: [{ role: 'user', content: 'vpn' }],
      }),
    );
    const [call] = reassemble(chunks).calls;
    const secondRound = await client.chat.completions.create({
      model: 'offline',
      stream: true,
      tools,
      messages: [
        { role: 'user', content: 'vpn' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } },
          ],
        },
        {
          role: 'tool',
          tool_call_id: call.id,
          content: JSON.stringify({ results: [{ ref: 1, title: 'VPN', text: 'Use the VPN at home.' }] }),
        },
      ],
    });
    const answer = reassemble(await collect(secondRound)).content;

    assert.equal(answer, 'Here is what the knowledge base says:\n\nUse the VPN at home. [1]');
    assert.equal(model.requests.length, 2);
    assert.deepEqual(
      model.requests[1]?.messages.map((message) => message.role),
      ['user', 'assistant', 'tool'],
    );
    assert.equal(model.requests[1]?.tools?.[0]?.function.name, 'search_knowledge');
    assert.equal(model.requests[1]?.stream, true);
  });

  it('ends a stream with a usage chunk when stream_options.include_usage is set', async () => {
    const { client } = await start({ script: () => ({ kind: 'text', text: 'one two three' }) });
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'offline',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'count' }],
      }),
    );
    assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
    assert.deepEqual(chunks.at(-1)?.choices, []);
  });

  it('stops at max_tokens with finish reason "length"', async () => {
    const { client } = await start({ script: () => ({ kind: 'text', text: 'one two three four' }) });
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'offline',
        stream: true,
        max_tokens: 2,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    assert.equal(reassemble(chunks).content, 'one two');
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'length');
  });

  it('serves the Azure deployment path, taking the model from the deployment', async () => {
    const { model } = await start({ script: () => ({ kind: 'text', text: 'from azure' }) });
    const azure = new AzureOpenAI({
      endpoint: model.baseUrl.replace(/\/v1$/, ''),
      apiKey: 'offline',
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-deployment',
      maxRetries: 0,
    });
    const chunks = await collect(
      await azure.chat.completions.create({
        model: '',
        stream: true,
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    assert.equal(reassemble(chunks).content, 'from azure');
    assert.equal(model.requests[0]?.model, 'gpt-4o-deployment');
  });

  it('lists the offline model on GET /v1/models', async () => {
    const { client } = await start();
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((entry) => entry.id),
      ['offline'],
    );
  });

  it('answers bad JSON with 400 and an OpenAI-style error body, and records nothing', async () => {
    const { model } = await start();
    const response = await fetch(`${model.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": "offline", "messages": [',
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string; type: string; code: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, 'invalid_json');
    assert.match(body.error.message, /could not parse the JSON body/);
    assert.equal(model.requests.length, 0);
  });

  it('answers a body that is not a chat request with 400 naming the field', async () => {
    const { client } = await start();
    await assert.rejects(
      client.chat.completions.create({ model: 'offline', messages: [] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && /messages/.test(error.message),
    );
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const { model } = await start();
    const unknown = await fetch(`${model.baseUrl}/images/generations`, { method: 'POST', body: '{}' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'unknown_url');
    const wrongMethod = await fetch(`${model.baseUrl}/chat/completions`);
    assert.equal(wrongMethod.status, 405);
    await wrongMethod.body?.cancel();
  });

  it('composes the reply when the script returns undefined, and reports a throwing script as a 500', async () => {
    const { client } = await start({
      script: (request) => {
        const last = request.messages.at(-1);
        if (last?.content === 'boom') throw new Error('script exploded');
        return undefined;
      },
    });
    const composed = await client.chat.completions.create({
      model: 'offline',
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.match(composed.choices[0]?.message.content ?? '', /^Hello!/);
    await assert.rejects(
      client.chat.completions.create({ model: 'offline', messages: [{ role: 'user', content: 'boom' }] }),
      (error: unknown) =>
        error instanceof OpenAI.InternalServerError && /script exploded/.test(error.message),
    );
  });

  it('refuses an invalid pace', async () => {
    await assert.rejects(startOfflineModel({ tokensPerSecond: 0 }), /tokensPerSecond: must be a number > 0/);
    await assert.rejects(startOfflineModel({ timeToFirstTokenMs: -1 }), /timeToFirstTokenMs/);
  });
});
