import { strict as assert } from 'node:assert';
import { deltasOf } from '../../../dev/offline-model/completionChunks';
import { dueTimeMs, unitsDue } from '../../../dev/offline-model/pacing';

describe('offline model: pacing', () => {
  const pace = { timeToFirstTokenMs: 300, tokensPerSecond: 40 };

  it('makes the first unit due after the time to first token, then one every 1/tokensPerSecond', () => {
    assert.equal(unitsDue(0, 10, pace), 0);
    assert.equal(unitsDue(299, 10, pace), 0);
    assert.equal(unitsDue(300, 10, pace), 1);
    assert.equal(unitsDue(324, 10, pace), 1);
    assert.equal(unitsDue(325, 10, pace), 2);
    assert.equal(unitsDue(10_000, 10, pace), 10);
    assert.equal(dueTimeMs(1, pace), 300);
    assert.equal(dueTimeMs(2, pace), 325);
    assert.equal(dueTimeMs(5, pace), 400);
  });

  it('sends everything at the first unit time when the rate is unlimited', () => {
    const unlimited = { timeToFirstTokenMs: 50, tokensPerSecond: Infinity };
    assert.equal(unitsDue(49, 7, unlimited), 0);
    assert.equal(unitsDue(50, 7, unlimited), 7);
  });
});

describe('offline model: deltas for a batch of units', () => {
  it('joins text tokens into one content delta', () => {
    assert.deepEqual(
      deltasOf([
        { kind: 'content', text: 'Hello' },
        { kind: 'content', text: ' world' },
      ]),
      [{ content: 'Hello world' }],
    );
  });

  it('gives each tool call start its own delta and joins argument fragments per call', () => {
    assert.deepEqual(
      deltasOf([
        { kind: 'toolStart', index: 0, id: 'call_a', name: 'find_work_items' },
        { kind: 'toolArguments', index: 0, text: '{"q"' },
        { kind: 'toolArguments', index: 0, text: ':1}' },
        { kind: 'toolStart', index: 1, id: 'call_b', name: 'search_knowledge' },
        { kind: 'toolArguments', index: 1, text: '{}' },
      ]),
      [
        {
          tool_calls: [
            {
              index: 0,
              id: 'call_a',
              type: 'function',
              function: { name: 'find_work_items', arguments: '' },
            },
          ],
        },
        { tool_calls: [{ index: 0, function: { arguments: '{"q":1}' } }] },
        {
          tool_calls: [
            {
              index: 1,
              id: 'call_b',
              type: 'function',
              function: { name: 'search_knowledge', arguments: '' },
            },
          ],
        },
        { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      ],
    );
  });
});
