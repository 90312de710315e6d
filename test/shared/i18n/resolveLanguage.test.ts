import { strict as assert } from 'node:assert';
import { resolveLanguage, SUPPORTED_LANGUAGES } from '../../../src/shared/i18n';

describe('resolveLanguage', () => {
  const cases: [string | undefined | null, string][] = [
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['de', 'de'],
    ['fr-FR', 'fr'],
    ['fr-CA', 'fr'],
    ['es-ES', 'es'],
    ['es-MX', 'es'],
    ['DE-de', 'de'],
    ['FR', 'fr'],
    ['es_AR', 'es'],
    [' de-CH ', 'de'],
    ['pt-BR', 'en'],
    ['ja-JP', 'en'],
    ['deu', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    [null, 'en'],
  ];

  for (const [locale, expected] of cases) {
    it(`picks '${expected}' for ${JSON.stringify(locale)}`, () => {
      assert.equal(resolveLanguage(locale), expected);
    });
  }

  it('lists English first among the supported languages', () => {
    assert.deepEqual(SUPPORTED_LANGUAGES, ['en', 'de', 'fr', 'es']);
  });
});
