import { strict as assert } from 'node:assert';
import { escapeMarkdownText, linkTarget, MAX_LINK_URL_CHARS } from '../../../src/turn/cards/markdown';
import { collapseWhitespace, truncate } from '../../../src/shared/text';

describe('card text helpers', () => {
  describe('truncate', () => {
    it('leaves text within the limit unchanged', () => {
      assert.equal(truncate('short', 5), 'short');
    });

    it('cuts at a word boundary near the end and adds an ellipsis', () => {
      assert.equal(truncate('The quick brown fox jumps over the lazy dog', 20), 'The quick brown fox…');
    });

    it('cuts inside a word when there is no boundary near the end', () => {
      assert.equal(truncate('Supercalifragilistic expialidocious', 10), 'Supercali…');
    });

    it('does not leave trailing punctuation before the ellipsis', () => {
      assert.equal(truncate('Alpha, beta, gamma, delta', 14), 'Alpha, beta…');
    });

    it('never splits an emoji, even a joined one, and counts UTF-16 units', () => {
      const family = '👨‍👩‍👧';
      const cut = truncate(`ab${family}cd`, 10);
      assert.equal(cut, 'ab…');
      assert.ok(cut.length <= 10);
      assert.equal(truncate('😀😀😀😀😀😀', 6), '😀😀…');
    });
  });

  it('collapses whitespace and newlines into single spaces', () => {
    assert.equal(collapseWhitespace('  one\n\n two\t three  '), 'one two three');
  });

  it('escapes brackets and backslashes so text cannot form a link', () => {
    assert.equal(escapeMarkdownText('[a](b) \\'), '\\[a\\](b) \\\\');
  });

  describe('linkTarget', () => {
    it('accepts http and https URLs, percent-encoding characters that would end the link', () => {
      assert.equal(linkTarget('https://x.example/a (1).pdf'), 'https://x.example/a%20%281%29.pdf');
      assert.equal(linkTarget(' http://x.example/q?a=(b) '), 'http://x.example/q?a=%28b%29');
    });

    it('refuses other schemes, relative or malformed URLs, and very long ones', () => {
      assert.equal(linkTarget('javascript:alert(1)'), undefined);
      assert.equal(linkTarget('file:///etc/passwd'), undefined);
      assert.equal(linkTarget('/relative/path'), undefined);
      assert.equal(linkTarget('https://'), undefined);
      assert.equal(linkTarget(''), undefined);
      assert.equal(linkTarget(undefined), undefined);
      assert.equal(linkTarget(`https://x.example/${'a'.repeat(MAX_LINK_URL_CHARS)}`), undefined);
    });
  });
});
