import { strict as assert } from 'node:assert';
import { activitySize, cutForBudget } from '../../src/streaming/messageBudget';

describe('message budget', () => {
  it('counts an activity as the UTF-16 bytes of its JSON', () => {
    assert.equal(activitySize({ text: 'ab' }), JSON.stringify({ text: 'ab' }).length * 2);
    assert.equal(
      activitySize({ text: '😀' }),
      JSON.stringify({ text: '😀' }).length * 2,
      'an emoji is two code units',
    );
  });

  it('keeps text that fits whole', () => {
    assert.equal(
      cutForBudget('short', () => true),
      5,
    );
  });

  it('cuts at the last paragraph break that fits', () => {
    const text = 'First paragraph here.\n\nSecond paragraph that is longer than the budget allows.';
    const cut = cutForBudget(text, (prefix) => prefix.length <= 40);
    assert.equal(text.slice(0, cut), 'First paragraph here.\n\n');
  });

  it('falls back to a sentence end, then a space, then a hard cut', () => {
    assert.equal(
      cutForBudget('One sentence. Another sentence here', (p) => p.length <= 20),
      'One sentence. '.length,
    );
    assert.equal(
      cutForBudget('aaaa bbbb cccc dddd', (p) => p.length <= 12),
      'aaaa bbbb '.length,
    );
    assert.equal(
      cutForBudget('abcdefghij', (p) => p.length <= 4),
      4,
    );
  });

  it('never splits a surrogate pair and always makes progress', () => {
    const text = '😀😀😀😀';
    const cut = cutForBudget(text, (p) => p.length <= 3);
    assert.equal(cut, 2);
    assert.equal(
      cutForBudget('abc', () => false),
      1,
    );
  });
});
