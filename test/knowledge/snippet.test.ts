import { strict as assert } from 'node:assert';
import { bestSnippet, SNIPPET_MAX_LENGTH } from '../../src/knowledge/snippet';

describe('bestSnippet', () => {
  const passage = [
    'Book all flights through **Contoso Travel** so the company can reach you.',
    '',
    '- **Flights:** economy class for flights under 6 hours.',
    '- **Hotels:** up to 200 USD per night in most cities. The limit is 300 USD per night',
    '  in London and New York.',
    '- **Mileage:** 0.67 USD per mile.',
  ].join('\n');

  it('picks the sentence matching the most search terms, joining wrapped lines and removing markup', () => {
    assert.equal(
      bestSnippet(passage, ['night', 'london']),
      'The limit is 300 USD per night in London and New York. Mileage: 0.67 USD per mile.',
    );
  });

  it('matches word forms loosely (reimbursement ~ reimbursed)', () => {
    const text = 'Lunch is included. Approved reports are reimbursed by bank transfer.';
    assert.equal(bestSnippet(text, ['reimbursement']), 'Approved reports are reimbursed by bank transfer.');
  });

  it('starts at the beginning of the passage when no sentence matches', () => {
    assert.match(bestSnippet(passage, ['unrelated']), /^Book all flights through Contoso Travel/);
  });

  it(`never exceeds ${SNIPPET_MAX_LENGTH} characters, keeping the match in view with ellipses`, () => {
    const long = `${'filler words here '.repeat(40)}the VPN gateway is vpn.contoso.com ${'more filler '.repeat(40)}`;
    const snippet = bestSnippet(long, ['gateway']);
    assert.ok(snippet.length <= SNIPPET_MAX_LENGTH, `${snippet.length}`);
    assert.match(snippet, /^….*the VPN gateway is vpn\.contoso\.com.*…$/);
  });

  it('renders a table row as cells separated by bars', () => {
    const table = '| Severity | Acknowledge |\n|---|---|\n| Sev1 | 5 minutes |';
    assert.equal(bestSnippet(table, ['sev1']), 'Sev1 | 5 minutes.');
  });
});
