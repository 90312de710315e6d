import { strict as assert } from 'node:assert';
import { MAX_SEARCH_TERMS, searchTerms, toFtsQuery } from '../../src/knowledge/searchTerms';

describe('searchTerms', () => {
  it('keeps the lower-cased content words, once each, in order', () => {
    assert.deepEqual(searchTerms('How do I connect to the VPN? The VPN keeps dropping!'), [
      'connect',
      'vpn',
      'keeps',
      'dropping',
    ]);
  });

  it('drops punctuation, operators spelled as symbols, emoji and single letters, but keeps numbers', () => {
    assert.deepEqual(searchTerms('"Sev1" (page) -x * 🙂 2 OR NOT'), ['sev1', 'page', '2']);
  });

  it('keeps letters of any script', () => {
    assert.deepEqual(searchTerms('Größe 東京 café'), ['größe', '東京', 'café']);
  });

  it(`searches at most ${MAX_SEARCH_TERMS} terms`, () => {
    const text = Array.from({ length: 100 }, (_, index) => `term${index}`).join(' ');
    assert.equal(searchTerms(text).length, MAX_SEARCH_TERMS);
  });
});

describe('toFtsQuery', () => {
  it('quotes every term, adds prefix matching to longer ones and joins them with OR', () => {
    assert.equal(toFtsQuery(['vpn', 'port', 'sev1']), '"vpn" OR "port"* OR "sev1"*');
  });

  it('has nothing to search for without terms', () => {
    assert.equal(toFtsQuery([]), undefined);
  });
});
