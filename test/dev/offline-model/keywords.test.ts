import { strict as assert } from 'node:assert';
import { plainTextOfMarkdown, sentences } from '../../../dev/offline-model/keywords';

describe('offline model: markdown to sentences', () => {
  it('joins soft-wrapped lines of one paragraph or list item instead of ending a sentence at each line break', () => {
    const markdown = [
      '- **Connected but internal sites do not load:** disconnect, run `ipconfig /flushdns` (Windows) or',
      '  `sudo dscacheutil -flushcache` (macOS), and connect again.',
      '- **Frequent disconnects:** switch to a wired connection.',
      '',
      'This page covers the rules for working remotely and how to connect to internal',
      'systems through the company VPN.',
    ].join('\n');
    assert.deepEqual(sentences(plainTextOfMarkdown(markdown)), [
      'Connected but internal sites do not load: disconnect, run `ipconfig /flushdns` (Windows) or `sudo dscacheutil -flushcache` (macOS), and connect again.',
      'Frequent disconnects: switch to a wired connection.',
      'This page covers the rules for working remotely and how to connect to internal systems through the company VPN.',
    ]);
  });

  it('still starts a new sentence at a heading, a numbered step or a quote', () => {
    const markdown = '## Steps\n1. Open the client\n2. Sign in\n> Note: MFA is required';
    assert.deepEqual(sentences(plainTextOfMarkdown(markdown)), [
      'Steps',
      'Open the client',
      'Sign in',
      'Note: MFA is required',
    ]);
  });
});
