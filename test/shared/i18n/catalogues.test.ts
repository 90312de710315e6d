import { strict as assert } from 'node:assert';
import type { MessageKey } from '../../../src/shared/i18n';
import { catalogues, en } from '../../../src/shared/i18n/catalogues';
import { placeholderNames } from '../../../src/shared/i18n/placeholders';

const englishKeys = Object.keys(en).sort();

describe('i18n catalogues', () => {
  it('rejects, at compile time, a catalogue that lacks a key', () => {
    // @ts-expect-error a catalogue typed Record<MessageKey, string> must have every key of the English one
    const incomplete: Record<MessageKey, string> = { 'card.title': 'About this answer' };
    assert.equal(Object.keys(incomplete).length, 1);
  });

  for (const [language, catalogue] of Object.entries(catalogues)) {
    describe(`the '${language}' catalogue`, () => {
      it('has exactly the English keys', () => {
        assert.deepEqual(Object.keys(catalogue).sort(), englishKeys);
      });

      it('has no empty message', () => {
        const empty = Object.entries(catalogue).filter(([, message]) => message.trim() === '');
        assert.deepEqual(empty, []);
      });

      it('uses the same placeholders as English in every message', () => {
        const mismatches = (Object.keys(en) as MessageKey[])
          .filter((key) => placeholderNames(catalogue[key]).join() !== placeholderNames(en[key]).join())
          .map((key) => `${key}: ${catalogue[key]}`);
        assert.deepEqual(mismatches, []);
      });
    });
  }

  it('translates rather than copies: German, French and Spanish differ from English on the card title', () => {
    const titles = new Set(Object.values(catalogues).map((catalogue) => catalogue['card.title']));
    assert.equal(titles.size, 4);
  });
});
