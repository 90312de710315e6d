import { strict as assert } from 'node:assert';
import {
  buildConfirmationCard,
  buildConfirmationResultCard,
  CONFIRMATION_VERB,
} from '../../../src/turn/cards';
import { confirmationPrompt } from '../../../src/turn/confirmationPrompt';
import type { PendingConfirmation } from '../../../src/turn/pendingConfirmations';
import { AC, readCard } from './adaptiveCardReader';

const pending: PendingConfirmation = {
  id: 'c-1',
  tool: 'update_work_item',
  tenantId: 'tenant-a',
  conversationId: 'chat-1',
  userId: 'aad-dana',
  expiresAt: 0,
  changes: [
    {
      id: 'WI-3',
      title: 'Rotate keys',
      fields: [
        { field: 'title', before: 'Rotate keys', after: 'PWNED' },
        { field: 'assignee', before: null, after: 'Mallory' },
        { field: 'description', before: '', after: 'x'.repeat(500) },
      ],
    },
  ],
};

/** The facts of every FactSet, "title: value". */
function facts(card: InstanceType<typeof AC.AdaptiveCard>): string[] {
  const lines: string[] = [];
  for (let i = 0; i < card.getItemCount(); i++) {
    const element = card.getItemAt(i);
    if (element instanceof AC.FactSet)
      lines.push(...element.facts.map((fact) => `${fact.name}: ${fact.value}`));
  }
  return lines;
}

describe('confirmation card', () => {
  it('shows per item each field before → after, with Confirm / Cancel carrying only the id', () => {
    const read = readCard(buildConfirmationCard(confirmationPrompt(pending, 'en-US')));
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.texts, [
      'Change 1 work item(s)?',
      'Nothing changes until you press Confirm. This request expires in 10 minutes.',
      'WI-3 "Rotate keys"',
    ]);
    const [title, assignee, description] = facts(read.card);
    assert.equal(title, 'Title: Rotate keys → PWNED');
    assert.equal(assignee, 'Assigned to: (none) → Mallory');
    assert.match(description ?? '', /^Description: \(none\) → x{100,}…$/);
    assert.ok((description ?? '').length < 260, 'a long value is shortened on the card');
    assert.deepEqual(
      read.actions.map((action) => [action.type, action.title]),
      [
        ['Action.Execute', 'Confirm'],
        ['Action.Execute', 'Cancel'],
      ],
    );
    const json = buildConfirmationCard(confirmationPrompt(pending, 'en-US'));
    const actions = json.actions as Array<{ verb: string; data: unknown }>;
    assert.deepEqual(
      actions.map((action) => [action.verb, action.data]),
      [
        [CONFIRMATION_VERB, { confirmationId: 'c-1', decision: 'confirm' }],
        [CONFIRMATION_VERB, { confirmationId: 'c-1', decision: 'cancel' }],
      ],
    );
  });

  it('is localized like the other cards', () => {
    const read = readCard(buildConfirmationCard(confirmationPrompt(pending, 'fr-FR')));
    assert.equal(read.texts[0], 'Modifier 1 élément(s) de travail ?');
    assert.equal(facts(read.card)[1], 'Attribué à: (aucun) → Mallory');
    assert.deepEqual(
      read.actions.map((action) => action.title),
      ['Confirmer', 'Annuler'],
    );
  });

  it('becomes the outcome, without buttons', () => {
    const read = readCard(buildConfirmationResultCard('Change 1 work item(s)?', 'Done.', []));
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.texts, ['Change 1 work item(s)?', 'Done.']);
    assert.equal(read.actions.length, 0);
  });
});
