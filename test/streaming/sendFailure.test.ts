import { strict as assert } from 'node:assert';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describeSendFailure } from '../../src/streaming/sendFailure';

/**
 * The error botbuilder's connector client throws when the Bot Connector answers a send with an error status:
 * a core-rest-pipeline RestError whose response carries the status and the body Teams returned.
 */
function connectorError(status: number, body: unknown): RestError {
  const request = createPipelineRequest({
    url: 'https://smba.trafficmanager.net/amer/v3/conversations/a%3A1/activities',
    method: 'POST',
  });
  return new RestError(`Operation returned an invalid status code ${status}`, {
    statusCode: status,
    request,
    response: {
      request,
      status,
      headers: createHttpHeaders({ 'content-type': 'application/json' }),
      bodyAsText: JSON.stringify(body),
    },
  });
}

const teamsError = (code: string, message: string) => ({ error: { code, message } });

describe('describeSendFailure', () => {
  it('recognises the Stop button: 403 ContentStreamNotAllowed "Content stream was canceled by user."', () => {
    const error = connectorError(
      403,
      teamsError('ContentStreamNotAllowed', 'Content stream was canceled by user.'),
    );
    assert.doesNotMatch(error.message, /cancel/i, 'the Stop is read from the response body, not the message');
    const failure = describeSendFailure(error);
    assert.equal(failure.kind, 'cancelledByUser');
    assert.equal(failure.status, 403);
    assert.match(failure.summary, /^403: /);
    assert.match(failure.summary, /ContentStreamNotAllowed/);
    assert.match(failure.summary, /Content stream was canceled by user\./);
  });

  it('recognises the older spelling "cancelled by user"', () => {
    const failure = describeSendFailure(
      connectorError(403, teamsError('ContentStreamNotAllowed', 'Content stream was cancelled by user.')),
    );
    assert.equal(failure.kind, 'cancelledByUser');
  });

  it('recognises Teams closing the stream after two minutes (403 "exceeded streaming time")', () => {
    const failure = describeSendFailure(
      connectorError(
        403,
        teamsError('ContentStreamNotAllowed', 'Content stream finished due to exceeded streaming time.'),
      ),
    );
    assert.equal(failure.kind, 'streamClosed');
    assert.equal(failure.status, 403);
    assert.match(failure.summary, /^403: .*exceeded streaming time/);
  });

  it('recognises Teams closing the stream for its size (403 "Message size too large")', () => {
    const failure = describeSendFailure(
      connectorError(403, teamsError('ContentStreamNotAllowed', 'Message size too large')),
    );
    assert.equal(failure.kind, 'streamClosed');
  });

  it('treats other 403 ContentStreamNotAllowed refusals as ordinary failures', () => {
    for (const message of [
      'Content stream is not allowed on an already completed streamed message',
      'Content stream is not allowed',
    ]) {
      const failure = describeSendFailure(
        connectorError(403, teamsError('ContentStreamNotAllowed', message)),
      );
      assert.equal(failure.kind, 'other', message);
      assert.equal(failure.status, 403);
    }
  });

  it('needs the 403: the same texts with another status are ordinary failures', () => {
    for (const message of ['Content stream was canceled by user.', 'Message size too large']) {
      assert.equal(describeSendFailure(connectorError(400, teamsError('BadRequest', message))).kind, 'other');
    }
  });

  it('treats throttling (429) as an ordinary failure with its status', () => {
    const failure = describeSendFailure(
      connectorError(429, teamsError('Throttled', 'API calls quota exceeded')),
    );
    assert.deepEqual({ kind: failure.kind, status: failure.status }, { kind: 'other', status: 429 });
    assert.match(failure.summary, /^429: .*API calls quota exceeded/);
  });

  it('reads the status of a plain object error from `status` or `response.status`', () => {
    const cancel = 'Content stream was canceled by user.';
    assert.equal(describeSendFailure({ status: 403, message: cancel }).kind, 'cancelledByUser');
    assert.equal(
      describeSendFailure({ response: { status: 403, bodyAsText: cancel } }).kind,
      'cancelledByUser',
    );
  });

  it('needs the 403: the cancel text without a status is an ordinary failure', () => {
    const failure = describeSendFailure(new Error('Content stream was canceled by user.'));
    assert.deepEqual(failure, {
      kind: 'other',
      status: undefined,
      summary: 'no status: Content stream was canceled by user.',
    });
  });

  it('describes a plain Error by its message', () => {
    assert.deepEqual(describeSendFailure(new Error('socket hang up')), {
      kind: 'other',
      status: undefined,
      summary: 'no status: socket hang up',
    });
  });

  it('describes something that is not an object by its text', () => {
    assert.deepEqual(describeSendFailure('boom'), {
      kind: 'other',
      status: undefined,
      summary: 'no status: boom',
    });
    assert.deepEqual(describeSendFailure(undefined), {
      kind: 'other',
      status: undefined,
      summary: 'no status: undefined',
    });
  });

  it('cuts the error text in the summary to 300 characters', () => {
    const failure = describeSendFailure(connectorError(500, { detail: 'x'.repeat(1000) }));
    assert.ok(failure.summary.length <= '500: '.length + 300, `${failure.summary.length} characters`);
  });
});
