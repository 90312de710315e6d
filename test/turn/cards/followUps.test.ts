import { strict as assert } from 'node:assert';
import { suggestFollowUps, type CardSource } from '../../../src/turn/cards';

const handbook: CardSource = {
  position: 1,
  title: 'Employee Handbook',
  url: 'https://contoso.example/handbook',
};
const travel: CardSource = { position: 2, title: 'Travel policy.pdf' };

describe('suggestFollowUps', () => {
  it('asks about the cited sources after a knowledge search', () => {
    const questions = suggestFollowUps({
      locale: 'en-US',
      sources: [handbook, travel],
      toolsUsed: ['search_knowledge'],
    });
    assert.deepEqual(questions, [
      'Tell me more about Employee Handbook',
      'Tell me more about Travel policy',
      'What else should I know about Employee Handbook?',
    ]);
  });

  it('asks two questions about a single source', () => {
    assert.deepEqual(
      suggestFollowUps({ locale: 'en', sources: [handbook], toolsUsed: ['search_knowledge'] }),
      ['Tell me more about Employee Handbook', 'What else should I know about Employee Handbook?'],
    );
  });

  it('offers the work-item questions after a work-item tool', () => {
    for (const tool of ['create_work_item', 'find_work_items', 'update_work_item']) {
      assert.deepEqual(suggestFollowUps({ locale: 'en', sources: [], toolsUsed: [tool] }), [
        'Show the work items in this chat',
        'Which work items are still open?',
      ]);
    }
  });

  it('mixes both kinds, at most 3, when the turn searched and touched work items', () => {
    const questions = suggestFollowUps({
      locale: 'en',
      sources: [handbook, travel],
      toolsUsed: ['search_knowledge', 'create_work_item'],
    });
    assert.deepEqual(questions, [
      'Tell me more about Employee Handbook',
      'Show the work items in this chat',
      'Tell me more about Travel policy',
    ]);
  });

  it('suggests nothing when the turn used no source and no work-item tool', () => {
    assert.deepEqual(suggestFollowUps({ locale: 'en', sources: [], toolsUsed: [] }), []);
    assert.deepEqual(suggestFollowUps({ locale: 'en', sources: [], toolsUsed: ['search_knowledge'] }), []);
    assert.deepEqual(suggestFollowUps({ locale: 'en', sources: [], toolsUsed: ['send_report'] }), []);
  });

  it('asks in the user language', () => {
    assert.deepEqual(
      suggestFollowUps({
        locale: 'de-DE',
        sources: [handbook],
        toolsUsed: ['search_knowledge', 'find_work_items'],
      }),
      [
        'Erzähl mir mehr über Employee Handbook',
        'Zeig mir die Arbeitselemente in diesem Chat',
        'Was sollte ich sonst noch über Employee Handbook wissen?',
      ],
    );
    assert.equal(
      suggestFollowUps({ locale: 'es', sources: [], toolsUsed: ['update_work_item'] })[1],
      '¿Qué elementos de trabajo siguen abiertos?',
    );
  });

  it('keeps questions short by cutting a long source title, and skips sources without a title', () => {
    const long: CardSource = { position: 1, title: `Annual report ${'chapter '.repeat(20)}` };
    const untitled: CardSource = { position: 2, title: '   ' };
    const [first, ...rest] = suggestFollowUps({ locale: 'en', sources: [untitled, long], toolsUsed: [] });
    assert.ok(first);
    assert.ok(first.startsWith('Tell me more about Annual report chapter'));
    assert.ok(first.endsWith('…'));
    assert.ok(first.length <= 'Tell me more about '.length + 40, first);
    assert.equal(rest.length, 1);
  });
});
