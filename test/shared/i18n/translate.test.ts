import { strict as assert } from 'node:assert';
import { isMessageKey, translate } from '../../../src/shared/i18n';

describe('translate', () => {
  it('returns the message in the language of the locale', () => {
    assert.equal(translate('en-US', 'card.sources'), 'Sources');
    assert.equal(translate('de-DE', 'card.sources'), 'Quellen');
    assert.equal(translate('es-ES', 'card.sources'), 'Fuentes');
    assert.equal(translate('fr-FR', 'card.title'), 'À propos de cette réponse');
  });

  it('falls back to English for an unsupported or missing locale', () => {
    assert.equal(translate('pt-BR', 'notice.stopped'), '[stopped by the user]');
    assert.equal(translate(undefined, 'notice.stopped'), '[stopped by the user]');
    assert.equal(translate(null, 'notice.stopped'), '[stopped by the user]');
  });

  it('fills placeholders from params, numbers included', () => {
    assert.equal(
      translate('en', 'followUp.moreAbout', { title: 'the travel policy' }),
      'Tell me more about the travel policy',
    );
    assert.equal(translate('de', 'followUp.moreAbout', { title: 42 }), 'Erzähl mir mehr über 42');
    assert.equal(
      translate('es-MX', 'followUp.searchRelated', { topic: 'vacaciones' }),
      '¿Qué más debería saber sobre vacaciones?',
    );
  });

  it('leaves a placeholder visible when its param is missing', () => {
    assert.equal(translate('en', 'followUp.moreAbout'), 'Tell me more about {title}');
    assert.equal(translate('en', 'followUp.moreAbout', { topic: 'x' }), 'Tell me more about {title}');
  });

  it('inserts param values literally, without expanding braces inside them', () => {
    assert.equal(
      translate('en', 'followUp.searchRelated', { topic: '{topic} and $& and $1' }),
      'What else should I know about {topic} and $& and $1?',
    );
  });

  it('gives the welcome text in each language, naming what the bot can do', () => {
    assert.match(
      translate('en', 'welcome'),
      /knowledge base[\s\S]*Create work items[\s\S]*Find[\s\S]*Update/,
    );
    assert.match(translate('de', 'welcome'), /Wissensdatenbank/);
    assert.match(translate('fr', 'welcome'), /base de connaissances/);
    assert.match(translate('es', 'welcome'), /base de conocimientos/);
  });
});

describe('isMessageKey', () => {
  it('accepts keys of the catalogue and rejects other strings, inherited property names included', () => {
    assert.equal(isMessageKey('tool.search_knowledge'), true);
    assert.equal(isMessageKey('informative.tool.other'), true);
    assert.equal(isMessageKey('tool.delete_everything'), false);
    assert.equal(isMessageKey('toString'), false);
    assert.equal(isMessageKey('__proto__'), false);
  });
});
