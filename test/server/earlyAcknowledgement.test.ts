import { strict as assert } from 'node:assert';
import type { Response } from 'botbuilder';
import { answerCarriesTurnResult, EarlyAcknowledgingResponse } from '../../src/server';

/** A real-response double that records what reached it, in order. */
class RecordingResponse implements Response {
  readonly socket = { name: 'the socket' };
  readonly calls: Array<[string, ...unknown[]]> = [];
  status(code: number): unknown {
    this.calls.push(['status', code]);
    return code;
  }
  header(name: string, value: unknown): unknown {
    this.calls.push(['header', name, value]);
    return this;
  }
  send(...args: unknown[]): unknown {
    this.calls.push(['send', ...args]);
    return this;
  }
  end(...args: unknown[]): unknown {
    this.calls.push(['end', ...args]);
    return this;
  }
}

/** Whether a promise has settled by the time pending microtasks ran. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('EarlyAcknowledgingResponse (answering the inbound request before the turn ends)', () => {
  it('forwards the adapter’s own answer unchanged while nothing was acknowledged (e.g. 401, an invoke response)', async () => {
    const real = new RecordingResponse();
    const response = new EarlyAcknowledgingResponse(real);
    response.header('x-test', '1');
    response.status(401);
    response.send('Unauthorized');
    assert.equal(await isSettled(response.answered), false, 'not answered before end()');
    response.end();
    assert.deepEqual(real.calls, [
      ['header', 'x-test', '1'],
      ['status', 401],
      ['send', 'Unauthorized'],
      ['end'],
    ]);
    assert.equal(await isSettled(response.answered), true);
    assert.equal(response.acknowledged, false);
    assert.equal(response.socket, real.socket);
  });

  it('acknowledges with 200 and no body at once, and keeps the adapter’s later writes away from the caller', async () => {
    const real = new RecordingResponse();
    const response = new EarlyAcknowledgingResponse(real);
    assert.equal(response.acknowledge(), true);
    assert.deepEqual(real.calls, [['status', 200], ['end']]);
    assert.equal(await isSettled(response.answered), true);
    assert.equal(response.acknowledged, true);

    response.status(500);
    response.header('content-type', 'text/plain');
    response.send('boom');
    response.end();
    assert.deepEqual(real.calls, [['status', 200], ['end']], 'nothing more reached the real response');
    assert.deepEqual(response.ignored, { status: 500, body: 'boom' });
  });

  it('acknowledges only once', () => {
    const real = new RecordingResponse();
    const response = new EarlyAcknowledgingResponse(real);
    assert.equal(response.acknowledge(), true);
    assert.equal(response.acknowledge(), false);
    assert.deepEqual(real.calls, [['status', 200], ['end']]);
  });

  it('does not acknowledge a request the adapter already answered', () => {
    const real = new RecordingResponse();
    const response = new EarlyAcknowledgingResponse(real);
    response.status(401);
    response.end();
    assert.equal(response.acknowledge(), false);
    assert.deepEqual(real.calls, [['status', 401], ['end']]);
    assert.equal(response.acknowledged, false);
  });

  it('records nothing as ignored when the adapter wrote nothing after the acknowledgement', () => {
    const response = new EarlyAcknowledgingResponse(new RecordingResponse());
    response.acknowledge();
    assert.deepEqual(response.ignored, { status: undefined, body: undefined });
  });
});

describe('answerCarriesTurnResult', () => {
  it('is true for invokes and expectReplies deliveries, whose answer is the turn’s result', () => {
    assert.equal(answerCarriesTurnResult({ type: 'invoke' }), true);
    assert.equal(answerCarriesTurnResult({ type: 'message', deliveryMode: 'expectReplies' }), true);
  });

  it('is false for messages, conversation updates and other activities', () => {
    assert.equal(answerCarriesTurnResult({ type: 'message' }), false);
    assert.equal(answerCarriesTurnResult({ type: 'message', deliveryMode: 'normal' }), false);
    assert.equal(answerCarriesTurnResult({ type: 'conversationUpdate' }), false);
    assert.equal(answerCarriesTurnResult({ type: 'messageReaction' }), false);
  });
});
