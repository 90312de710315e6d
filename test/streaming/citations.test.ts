import { strict as assert } from 'node:assert';
import {
  citationsForText,
  citedPositions,
  normalizeCitationMarkers,
  STREAM_LIMITS,
  type CitationSource,
} from '../../src/streaming';

function source(position: number, overrides: Partial<CitationSource> = {}): CitationSource {
  return { position, title: `Source ${position}`, text: `Passage number ${position}.`, ...overrides };
}

describe('citations', () => {
  describe('citedPositions', () => {
    it('lists the positions in order of first use, each once', () => {
      assert.deepEqual(
        citedPositions('VPN first [3], then MFA [1], VPN again [3] and MFA [1][2].'),
        [3, 1, 2],
      );
    });

    it('reads the [docN] form of Azure "on your data" as the same position as [N]', () => {
      assert.deepEqual(citedPositions('Per [doc2] and [DOC2] and [2], see also [doc1].'), [2, 1]);
    });

    it('ignores brackets that are not citation markers', () => {
      assert.deepEqual(citedPositions('No markers: [a], [ 1 ], [1234], [doc], array[i], (1).'), []);
    });
  });

  describe('normalizeCitationMarkers', () => {
    it('rewrites [docN] markers, whatever their case, to [N] and leaves everything else alone', () => {
      assert.equal(
        normalizeCitationMarkers('Use MFA [doc1][Doc12]. Keep [3] and [document1] and [doc].'),
        'Use MFA [1][12]. Keep [3] and [document1] and [doc].',
      );
    });
  });

  describe('citationsForText', () => {
    it('cites only the markers that have a known source, once each, in order of first use', () => {
      const citations = citationsForText('B [2], unknown [7], A [1], B again [doc2].', [
        source(1),
        source(2),
      ]);
      assert.deepEqual(
        citations.map((citation) => citation.position),
        [2, 1],
      );
    });

    it('builds Teams Claim citations with the source title and text', () => {
      const [citation] = citationsForText('See [1].', [
        source(1, { title: 'VPN guide', text: 'Install  GlobalProtect\n and sign in.' }),
      ]);
      assert.deepEqual(citation, {
        '@type': 'Claim',
        position: 1,
        appearance: {
          '@type': 'DigitalDocument',
          name: 'VPN guide',
          abstract: 'Install GlobalProtect and sign in.',
        },
      });
    });

    it('returns no citations when the text has no markers', () => {
      assert.deepEqual(citationsForText('No markers here.', [source(1)]), []);
    });

    it('keeps at most 20 citations, the first ones used', () => {
      const sources = Array.from({ length: 25 }, (_, index) => source(index + 1));
      const text = `[99] ${sources.map((s) => `[${s.position}]`).join(' ')}`;
      const citations = citationsForText(text, sources);
      assert.equal(STREAM_LIMITS.maxCitations, 20);
      assert.deepEqual(
        citations.map((citation) => citation.position),
        Array.from({ length: 20 }, (_, index) => index + 1),
      );
    });

    it('cuts the name to 80 and the abstract to 160 characters, ending with an ellipsis', () => {
      const longTitle = 'Remote work and VPN: '.repeat(10);
      const longText =
        'Install the GlobalProtect client and sign in with multi-factor authentication. '.repeat(5);
      const [citation] = citationsForText('[1]', [source(1, { title: longTitle, text: longText })]);
      const { name, abstract } = citation.appearance;
      assert.ok(name.length <= 80, `name has ${name.length} characters`);
      assert.ok(abstract.length <= 160, `abstract has ${abstract.length} characters`);
      assert.ok(name.endsWith('…'), name);
      assert.ok(abstract.endsWith('…'), abstract);
      assert.ok(longTitle.startsWith(name.slice(0, -1)), 'the name is the start of the title');
      assert.ok(longText.startsWith(abstract.slice(0, -1)), 'the abstract is the start of the text');
    });

    it('keeps the url of a source that has one and adds no url to one that has none', () => {
      const citations = citationsForText('[1] [2] [3]', [
        source(1, { url: 'https://contoso.example/vpn' }),
        source(2),
        source(3, { url: '' }),
      ]);
      assert.equal(citations[0].appearance.url, 'https://contoso.example/vpn');
      assert.ok(!('url' in citations[1].appearance), 'no url key without a url');
      assert.ok(!('url' in citations[2].appearance), 'no url key for an empty url');
    });
  });

  it('collapses whitespace in titles and abstracts and cuts them without splitting an emoji', () => {
    const title = `Travel 🧳 ${'policy '.repeat(30)}`;
    const [citation] = citationsForText('See [1].', [
      source(1, { title: `  ${title}\n\t`, text: 'Line one\n\nline two' }),
    ]);
    assert.ok(citation.appearance.name.length <= STREAM_LIMITS.maxCitationTitleChars);
    assert.ok(citation.appearance.name.startsWith('Travel 🧳 policy'));
    assert.ok(citation.appearance.name.endsWith('…'));
    assert.equal(citation.appearance.abstract, 'Line one line two');
  });
});
