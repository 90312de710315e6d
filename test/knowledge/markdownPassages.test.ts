import { strict as assert } from 'node:assert';
import { splitMarkdown } from '../../src/knowledge/markdownPassages';

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

  it('cuts a long section at paragraph boundaries, each piece within the cap', () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, index) => `Paragraph ${index} ${'word '.repeat(40).trim()}.`,
    );
    const document = splitMarkdown(`# T\n## Long\n${paragraphs.join('\n\n')}`, 'x', 600);
    assert.ok(document.passages.length > 1);
    for (const passage of document.passages) {
      assert.equal(passage.heading, 'Long');
      assert.ok(passage.text.length <= 600, `${passage.text.length} characters`);
      assert.match(passage.text, /^Paragraph \d+ /, 'every piece starts at a paragraph');
    }
    const rejoined = document.passages.map((passage) => passage.text).join('\n\n');
    assert.equal(rejoined, paragraphs.join('\n\n'));
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
      .flatMap((passage) => passage.text.split(' '));
    assert.equal(words.length, 400);
  });
});
