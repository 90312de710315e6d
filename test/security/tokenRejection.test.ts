import { strict as assert } from 'node:assert';
import { AuthenticationError } from 'botframework-connector';
import { tokenRejectionReason, UNAUTHORIZED_RESPONSE } from '../../src/server/security';

describe('tokenRejectionReason', () => {
  it("keeps the first line of botbuilder's message, without its Unauthorized prefixes", () => {
    assert.equal(
      tokenRejectionReason(new AuthenticationError('Unauthorized. Invalid AppId passed on token: x', 401)),
      'Invalid AppId passed on token: x',
    );
    assert.equal(
      tokenRejectionReason(
        new Error('Unauthorized Access. Request is not authorized\n    at validate (a.js:1:1)'),
      ),
      'Request is not authorized',
    );
    assert.equal(tokenRejectionReason('The token has expired'), 'The token has expired');
    assert.equal(tokenRejectionReason(new Error('')), 'unknown');
  });

  it('cuts a long reason to 160 characters', () => {
    const reason = tokenRejectionReason(new Error(`Could not validate endorsement ${'x'.repeat(500)}`));
    assert.equal(reason.length, 160);
    assert.ok(reason.endsWith('…'));
  });

  it('answers 401 with a body that names no reason', () => {
    assert.deepEqual(UNAUTHORIZED_RESPONSE, { status: 401, body: { error: 'Unauthorized' } });
  });
});
