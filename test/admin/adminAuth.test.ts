import { strict as assert } from 'node:assert';
import { presentedToken, tokenMatches } from '../../src/admin';

describe('admin token', () => {
  const token = 'correct-horse-battery-staple';

  it('is read from a Bearer Authorization header first, else from ?token=', () => {
    const none = new URLSearchParams();
    assert.equal(presentedToken(`Bearer ${token}`, none), token);
    assert.equal(presentedToken(`bearer   ${token}`, none), token);
    assert.equal(presentedToken(`Bearer ${token}`, new URLSearchParams('token=other')), token);
    assert.equal(presentedToken(undefined, new URLSearchParams(`token=${token}`)), token);
    assert.equal(presentedToken('Basic dXNlcjpwYXNz', none), undefined);
    assert.equal(presentedToken(undefined, none), undefined);
  });

  it('matches only the exact token', () => {
    assert.equal(tokenMatches(token, token), true);
    assert.equal(tokenMatches(`${token}x`, token), false);
    assert.equal(tokenMatches(token.slice(0, -1), token), false);
    assert.equal(tokenMatches(token.toUpperCase(), token), false);
    assert.equal(tokenMatches('', token), false);
    assert.equal(tokenMatches(undefined, token), false);
    assert.equal(tokenMatches('', ''), false, 'an empty expected token never matches');
  });
});
