import { strict as assert } from 'node:assert';
import { csvField, FEEDBACK_CSV_COLUMNS, renderFeedbackCsv } from '../../src/admin';
import { parseCsv } from './csvRows';
import { dislikedAnswer } from './feedbackFixtures';

describe('feedback CSV', () => {
  it('writes a header row and one row per record, every column in order, CRLF line ends', () => {
    const csv = renderFeedbackCsv([
      dislikedAnswer(),
      dislikedAnswer({ id: 2, reaction: 'like', comment: '', messageId: null, answer: undefined }),
    ]);
    assert.ok(csv.endsWith('\r\n'));
    assert.deepEqual(parseCsv(csv), [
      [...FEEDBACK_CSV_COLUMNS],
      [
        '2025-03-10T09:30:00.000Z',
        'dislike',
        'Too vague',
        'How many PTO days do I get?',
        'Full-time employees receive 25 days of PTO per year [1].',
        '[1] Time Off Policy <https://contoso.example/time-off>',
        'user-1',
        'tenant-a',
        'conv-1',
        'msg-1',
      ],
      ['2025-03-10T09:30:00.000Z', 'like', '', '', '', '', 'user-1', 'tenant-a', 'conv-1', ''],
    ]);
    assert.equal(
      FEEDBACK_CSV_COLUMNS.join(','),
      'time,reaction,comment,question,answer,sources,user,tenant,conversation,message id',
    );
  });

  it('quotes fields with commas, quotes and line breaks, doubling the quotes (RFC 4180)', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a, b'), '"a, b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('line 1\nline 2'), '"line 1\nline 2"');
    assert.equal(csvField('line 1\r\nline 2'), '"line 1\r\nline 2"');
    const tricky = 'He said "no, never"\r\nthen left';
    const [, row] = parseCsv(renderFeedbackCsv([dislikedAnswer({ comment: tricky })]));
    assert.equal(row?.[2], tricky);
  });

  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    assert.equal(
      csvField('=HYPERLINK("http://evil.example","click")'),
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    assert.equal(csvField('+1+1'), "'+1+1");
    assert.equal(csvField('-2+3'), "'-2+3");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\t=1'), "'\t=1");
    assert.equal(csvField('a=1'), 'a=1', 'only a leading sign is dangerous');
    const [, row] = parseCsv(renderFeedbackCsv([dislikedAnswer({ comment: '=cmd|calc', userId: '@admin' })]));
    assert.equal(row?.[2], "'=cmd|calc");
    assert.equal(row?.[6], "'@admin");
  });
});
