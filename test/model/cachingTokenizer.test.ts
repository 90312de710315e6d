import { strict as assert } from 'node:assert';
import { GPTTokenizer, type Tokenizer } from '@microsoft/teams-ai';
import { CachingTokenizer } from '../../src/model';

/** A tokenizer that counts how often it really encodes. */
function countingTokenizer(): Tokenizer & { calls: number } {
  const real = new GPTTokenizer();
  const counter = {
    calls: 0,
    encode: (text: string) => {
      counter.calls += 1;
      return real.encode(text);
    },
    decode: (tokens: number[]) => real.decode(tokens),
  };
  return counter;
}

const systemPrompt = 'You are the IT help desk assistant of Contoso. Answer with citations like [1]. '.repeat(
  4,
);

describe('CachingTokenizer: the prompt’s unchanged sections are encoded once', () => {
  it('encodes a long text once and hands out the same tokens after', () => {
    const inner = countingTokenizer();
    const tokenizer = new CachingTokenizer({ inner });
    const first = tokenizer.encode(systemPrompt);
    const again = tokenizer.encode(`${systemPrompt}`);
    assert.equal(inner.calls, 1);
    assert.deepEqual(again, first);
    assert.deepEqual(
      first,
      new GPTTokenizer().encode(systemPrompt),
      'the same tokens as teams-ai’s tokenizer',
    );
    assert.ok(Object.isFrozen(first), 'shared arrays cannot be changed by a caller');
    assert.equal(tokenizer.decode(first), systemPrompt);
  });

  it('does not remember short texts, and forgets the least recently used beyond its size', () => {
    const inner = countingTokenizer();
    const tokenizer = new CachingTokenizer({ inner, maxEntries: 2, minLength: 10 });
    tokenizer.encode('short');
    tokenizer.encode('short');
    assert.equal(inner.calls, 2, 'short texts are encoded every time');
    const [a, b, c] = ['first long text', 'second long text', 'third long text'];
    tokenizer.encode(a);
    tokenizer.encode(b);
    tokenizer.encode(a); // a is now the most recently used
    tokenizer.encode(c); // forgets b
    const before = inner.calls;
    tokenizer.encode(a);
    tokenizer.encode(c);
    assert.equal(inner.calls, before, 'a and c are remembered');
    tokenizer.encode(b);
    assert.equal(inner.calls, before + 1, 'b was forgotten');
  });
});
