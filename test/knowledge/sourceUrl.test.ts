import { strict as assert } from 'node:assert';
import { sourceUrl } from '../../src/knowledge';

describe('sourceUrl: the published address of a knowledge-folder document', () => {
  it('is undefined without a base URL, so citations stay as they were', () => {
    assert.equal(sourceUrl('remote-work-and-vpn.md', undefined), undefined);
  });

  it('treats the base as a folder, with or without its trailing slash', () => {
    for (const base of ['https://wiki.example.com/kb', 'https://wiki.example.com/kb/']) {
      assert.equal(
        sourceUrl('guides/vpn.pdf', base),
        'https://wiki.example.com/kb/guides/vpn.pdf',
        `base ${base}`,
      );
    }
    assert.equal(sourceUrl('faq.md', 'http://intranet:8080'), 'http://intranet:8080/faq.md');
  });

  it('URL-encodes each path segment (spaces, unicode, #, ?, %) but keeps the folders', () => {
    assert.equal(
      sourceUrl(
        'Richtlinien/Über uns #1?.pdf',
        'https://contoso.sharepoint.com/sites/it/Shared%20Documents/',
      ),
      'https://contoso.sharepoint.com/sites/it/Shared%20Documents/Richtlinien/%C3%9Cber%20uns%20%231%3F.pdf',
    );
    assert.equal(
      sourceUrl('100% done.md', 'https://kb.example.com/'),
      'https://kb.example.com/100%25%20done.md',
    );
    assert.equal(
      sourceUrl('guides\\win setup.md', 'https://kb.example.com/'),
      'https://kb.example.com/guides/win%20setup.md',
    );
  });

  it('gives no URL for absolute paths (documents of npm run ingest) or paths that climb out of the folder', () => {
    assert.equal(sourceUrl('/srv/docs/vpn.pdf', 'https://kb.example.com/'), undefined);
    assert.equal(sourceUrl('C:\\docs\\vpn.pdf', 'https://kb.example.com/'), undefined);
    assert.equal(sourceUrl('../secret.md', 'https://kb.example.com/'), undefined);
  });
});
