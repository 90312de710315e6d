import { strict as assert } from 'node:assert';
import { tokenize } from '../../../dev/offline-model';

describe('offline model: tokenize', () => {
  it('splits words and punctuation, each token carrying the whitespace before it', () => {
    assert.deepEqual(tokenize('Hello, world! It’s WI-12 [1].'), [
      'Hello',
      ',',
      ' world',
      '!',
      ' It’s',
      ' WI',
      '-',
      '12',
      ' [',
      '1',
      ']',
      '.',
    ]);
  });

  it('gives back the exact text when the tokens are joined', () => {
    const samples = [
      '',
      '   ',
      'Here is what the knowledge base says:\n\n- Use the VPN. [1]\n- Restart it. [2]\n',
      '{"query":"vpn \\"setup\\"","n":3}',
      '  leading and trailing spaces  ',
      'Ünïcödé façade — naïve café 😀 ok',
    ];
    for (const text of samples) assert.equal(tokenize(text).join(''), text, JSON.stringify(text));
  });

  it('has no tokens for empty text', () => {
    assert.deepEqual(tokenize(''), []);
  });
});
