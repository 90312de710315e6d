import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { extractMarkdown, formatOf, markPdfHeadings } from '../../../src/knowledge/ingestion';
import { splitMarkdown } from '../../../src/knowledge/markdownPassages';
import { FIXTURE_FOLDER } from './fixtureFiles';

async function extractFixture(name: string): Promise<string> {
  const format = formatOf(name);
  assert.ok(format, `${name} has a supported extension`);
  return extractMarkdown(format, fs.readFileSync(path.join(FIXTURE_FOLDER, name)));
}

/** Title and [heading, text] pairs as the knowledge base would index them. */
function sections(markdown: string, fallbackTitle: string): { title: string; passages: string[][] } {
  const split = splitMarkdown(markdown, fallbackTitle);
  return { title: split.title, passages: split.passages.map((p) => [p.heading, p.text]) };
}

describe('extractMarkdown', () => {
  it('keeps markdown as it is, so its headings give the title and section paths', async () => {
    const doc = sections(await extractFixture('sample.md'), 'sample');
    assert.equal(doc.title, 'Bicycle Storage Policy');
    assert.deepEqual(
      doc.passages.map(([heading]) => heading),
      ['', 'Access', 'Lost keys'],
    );
    assert.match(doc.passages[1][1], /opens with your employee badge/);
  });

  it('reads plain text as paragraphs, with a leading # kept as text rather than a heading', async () => {
    const markdown = await extractFixture('sample.txt');
    assert.match(markdown, /third floor printer jams/);
    assert.match(markdown, /\n\nToner cartridges/);
    const escaped = await extractMarkdown('text', Buffer.from('# not a heading\n\nbody'));
    assert.deepEqual(sections(escaped, 'notes'), {
      title: 'notes',
      passages: [['', '\\# not a heading\n\nbody']],
    });
  });

  it('turns HTML h1-h6 into headings and drops head, scripts and styles', async () => {
    const markdown = await extractFixture('sample.html');
    assert.doesNotMatch(markdown, /console\.log|font-family|<b>/);
    const doc = sections(markdown, 'sample');
    assert.equal(doc.title, 'Meeting Room Booking');
    assert.deepEqual(doc.passages, [
      ['', 'Book meeting rooms in the Outlook room finder up to four weeks ahead.'],
      ['Large rooms', 'The boardroom seats twenty people and has a video conferencing bar.'],
      ['Large rooms > Catering', 'Order coffee and sandwiches for the boardroom two days in advance.'],
    ]);
  });

  it('takes the title from <title> when the page has no h1, and keeps code samples out of the headings', async () => {
    // The shape of a generated manual page (PostgreSQL's, Python's): navigation, an h2 repeating the title, and
    // configuration examples whose comment lines start with '#'.
    const html = `<html><head><title>20.1. The pg_hba.conf &amp; File</title></head><body>
      <div class="navheader">Prev Up Next</div>
      <h2 class="title">20.1. The pg_hba.conf &amp; File</h2>
      <p>Client authentication is controlled by a configuration file.</p>
      <pre class="programlisting"># Allow the user "foo" from host 192.168.1.100
host    all    foo    192.168.1.100/32    md5

# TYPE  DATABASE  USER  ADDRESS  METHOD</pre>
      <h3>Examples</h3><p>More text.</p></body></html>`;
    const markdown = await extractMarkdown('html', Buffer.from(html));
    const doc = sections(markdown, 'auth-pg-hba-conf');
    assert.equal(doc.title, '20.1. The pg_hba.conf & File');
    assert.deepEqual(
      doc.passages.map(([heading]) => heading),
      ['', 'Examples'],
      'the comment lines of the code sample are not headings, and the repeated title is not a section',
    );
    assert.match(doc.passages[0][1], /```\n# Allow the user "foo" from host 192\.168\.1\.100\nhost {4}all/);
  });

  it('reads Word headings (Heading 1/2 styles) and paragraphs from a .docx', async () => {
    const doc = sections(await extractFixture('sample.docx'), 'sample');
    assert.equal(doc.title, 'Office Parking Guide');
    assert.deepEqual(doc.passages, [
      ['', 'Employees park in the underground garage on level minus two.'],
      ['Visitor parking', 'Visitors receive a yellow parking permit at the reception desk.'],
      ['Electric vehicles', 'Charging stations for electric cars are next to the elevator lobby.'],
    ]);
  });

  it('reads the text of a PDF, its short first line followed by body text as the title', async () => {
    const markdown = await extractFixture('sample.pdf');
    assert.match(markdown, /^# Cafeteria opening hours\n/);
    assert.match(markdown, /serves breakfast from seven until ten in the morning\./);
    assert.match(markdown, /vegetarian menu every day\.$/);
  });

  it('recognises PDF headings (title, numbered, ALL CAPS) and leaves wrapped lines and footers as text', async () => {
    const doc = sections(await extractFixture('handbook.pdf'), 'handbook');
    assert.equal(doc.title, 'Remote Work Handbook');
    assert.deepEqual(
      doc.passages.map(([heading]) => heading),
      ['', '1 Getting started', '2 Equipment', '2 Equipment > 2.1 Remote access', 'SECURITY RULES'],
    );
    assert.match(
      doc.passages[1][1],
      /two weeks in a row and\nkeep your calendar up to date\nso that colleagues/,
    );
    assert.match(doc.passages[4][1], /unlocked in a public place\.\nPage 2 of 2$/);
  });

  it('escapes a # at the start of a PDF body line', () => {
    assert.equal(
      markPdfHeadings('The first sentence ends here.\n#hashtag in the body text.'),
      'The first sentence ends here.\n\\#hashtag in the body text.',
    );
  });

  it('rejects a file that is not a PDF, and a .docx that is not a ZIP', async () => {
    await assert.rejects(extractMarkdown('pdf', Buffer.from('this is not a pdf')), /PDF/i);
    await assert.rejects(extractMarkdown('docx', Buffer.from('this is not a docx')));
  });
});
