import { strict as assert } from 'node:assert';
import { overlapTail, splitMarkdown } from '../../src/knowledge/markdownPassages';

describe('splitMarkdown', () => {
  it('takes the title from the # heading and labels each section with its heading path', () => {
    const document = splitMarkdown(
      [
        '# Remote Work',
        'Intro text.',
        '## Connecting',
        'Open the client.',
        '### Troubleshooting',
        'Flush DNS.',
        '#### Windows',
        'Run ipconfig.',
        '## Security',
        'Lock your screen.',
      ].join('\n'),
      'fallback',
    );
    assert.equal(document.title, 'Remote Work');
    assert.deepEqual(document.passages, [
      { heading: '', text: 'Intro text.' },
      { heading: 'Connecting', text: 'Open the client.' },
      { heading: 'Connecting > Troubleshooting', text: 'Flush DNS.' },
      { heading: 'Connecting > Troubleshooting > Windows', text: 'Run ipconfig.' },
      { heading: 'Security', text: 'Lock your screen.' },
    ]);
  });

  it('uses the fallback title when there is no # heading, and skips empty sections', () => {
    const document = splitMarkdown('## Empty\n\n## Full\nText.\n', 'file-name');
    assert.equal(document.title, 'file-name');
    assert.deepEqual(document.passages, [{ heading: 'Full', text: 'Text.' }]);
  });

  it('ignores heading-like lines inside code fences and strips YAML front matter', () => {
    const document = splitMarkdown(
      ['---', 'owner: it', '---', '# Title', '## Shell', '```sh', '# not a heading', 'echo hi', '```'].join(
        '\n',
      ),
      'x',
    );
    assert.equal(document.title, 'Title');
    assert.deepEqual(document.passages, [{ heading: 'Shell', text: '```sh\n# not a heading\necho hi\n```' }]);
  });

  it('removes inline markup from headings and closing hashes', () => {
    const document = splitMarkdown('# The **Contoso** `VPN` ##\n## [Links](http://x) and _more_\nText', 'x');
    assert.equal(document.title, 'The Contoso VPN');
    assert.equal(document.passages[0]?.heading, 'Links and more');
  });

  it('cuts a long section at paragraph boundaries, each piece within the cap and overlapping the one before', () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, index) => `Paragraph ${index} ${'word '.repeat(40).trim()}.`,
    );
    const document = splitMarkdown(`# T\n## Long\n${paragraphs.join('\n\n')}`, 'x', 600);
    assert.ok(document.passages.length > 1);
    const withoutOverlap = document.passages.map((passage, index) => {
      assert.equal(passage.heading, 'Long');
      assert.ok(passage.text.length <= 600, `${passage.text.length} characters`);
      if (index === 0) return passage.text;
      const [overlap, ...rest] = passage.text.split('\n\n');
      assert.ok(overlap.length > 0 && overlap.length <= 120, `overlap of ${overlap.length} characters`);
      assert.ok(
        document.passages[index - 1].text.endsWith(overlap),
        'the overlap repeats the end of the piece before',
      );
      return rest.join('\n\n');
    });
    for (const text of withoutOverlap)
      assert.match(text, /^Paragraph \d+ /, 'every piece starts at a paragraph');
    assert.equal(withoutOverlap.join('\n\n'), paragraphs.join('\n\n'), 'nothing lost, nothing reordered');
  });

  it('keeps a short section whole, without overlap', () => {
    const text = 'One paragraph.\n\nAnother paragraph.';
    assert.deepEqual(splitMarkdown(`## S\n${text}`, 'x', 600).passages, [{ heading: 'S', text }]);
  });

  describe('overlapTail', () => {
    it('takes the last whole sentences that fit', () => {
      assert.equal(overlapTail('First one. Second one. Third one.', 25), 'Second one. Third one.');
    });

    it('takes the last words when even the last sentence is too long', () => {
      assert.equal(overlapTail('a very long sentence without any end', 12), 'any end');
    });
  });

  it('cuts a single paragraph longer than the cap at sentences, then at words', () => {
    const sentences = Array.from({ length: 30 }, (_, index) => `Sentence number ${index} is here.`).join(' ');
    const oneWordRun = 'token '.repeat(400).trim();
    const document = splitMarkdown(`## A\n${sentences}\n\n## B\n${oneWordRun}`, 'x', 200);
    for (const passage of document.passages) assert.ok(passage.text.length <= 200, `${passage.text.length}`);
    assert.ok(
      document.passages.filter((passage) => passage.heading === 'A').every((p) => p.text.endsWith('.')),
    );
    const words = document.passages
      .filter((passage) => passage.heading === 'B')
      .flatMap((passage, index) => passage.text.split('\n\n')[index === 0 ? 0 : 1].split(' '));
    assert.equal(words.length, 400, 'every word once, apart from the overlaps');
  });
});
