import { strict as assert } from 'node:assert';
import { fillPlaceholders, placeholderNames } from '../../../src/shared/i18n/placeholders';

describe('placeholders', () => {
  it('lists the distinct placeholder names of a message, sorted', () => {
    assert.deepEqual(placeholderNames('About {title}, {title} and {topic_2}'), ['title', 'topic_2']);
    assert.deepEqual(placeholderNames('none here: {} { spaced } {1st}'), []);
  });

  it('fills every occurrence of a placeholder', () => {
    assert.equal(fillPlaceholders('{a} and {a}, then {b}', { a: 'x', b: 2 }), 'x and x, then 2');
  });

  it('keeps placeholders that have no own param, even names that exist on Object.prototype', () => {
    assert.equal(
      fillPlaceholders('{constructor} {toString} {missing}', {}),
      '{constructor} {toString} {missing}',
    );
  });
});
