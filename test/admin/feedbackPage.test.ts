import { strict as assert } from 'node:assert';
import { renderFeedbackPage, type FeedbackPageData } from '../../src/admin';
import { dislikedAnswer } from './feedbackFixtures';

function page(overrides: Partial<FeedbackPageData> = {}): string {
  return renderFeedbackPage({
    summary: { likes: 3, dislikes: 1, likeRatio: 0.75 },
    daily: [
      { day: '2025-03-09', likes: 3, dislikes: 0 },
      { day: '2025-03-10', likes: 0, dislikes: 1 },
    ],
    dislikes: [dislikedAnswer()],
    generatedAt: new Date('2025-03-10T12:00:00.000Z'),
    csvHref: '/admin/feedback?format=csv',
    ...overrides,
  });
}

describe('feedback page (HTML)', () => {
  it('shows the title, like ratio, totals and the chart', () => {
    const html = page();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<title>Feedback insights<\/title>/);
    assert.match(html, /<div class="ratio" id="like-ratio">75% liked<\/div>/);
    assert.match(html, /3 likes<\/span><span id="dislikes">1 dislike<\/span><span id="total">4 total/);
    assert.match(html, /Likes and dislikes per day \(2025-03-09 to 2025-03-10, UTC\)/);
    assert.match(html, /<svg [^>]*class="feedback-chart"/);
    assert.match(html, /data-day="2025-03-10" data-reaction="dislike" data-count="1"/);
    assert.match(html, /Generated 2025-03-10 12:00 UTC/);
    assert.match(html, /<a href="\/admin\/feedback\?format=csv">/);
  });

  it('says "No feedback yet" when there is none', () => {
    const html = page({ summary: { likes: 0, dislikes: 0, likeRatio: null }, dislikes: [] });
    assert.match(html, /id="like-ratio">No feedback yet</);
    assert.match(html, /No dislikes\./);
  });

  it('lists each disliked answer with question, answer, sources, comment and time, in the order given', () => {
    const html = page({
      summary: { likes: 0, dislikes: 5, likeRatio: 0 },
      dislikes: [
        dislikedAnswer({ id: 2, comment: 'newer', createdAt: '2025-03-10T11:00:00.000Z' }),
        dislikedAnswer({ id: 1, comment: '', answer: undefined }),
      ],
    });
    assert.match(html, /Disliked answers \(latest 2 of 5\)/);
    assert.match(html, /<dd class="question">How many PTO days do I get\?<\/dd>/);
    assert.match(
      html,
      /<dd class="answer">Full-time employees receive 25 days of PTO per year \[1\]\.<\/dd>/,
    );
    assert.match(
      html,
      /<a href="https:\/\/contoso.example\/time-off" rel="noopener noreferrer">\[1\] Time Off Policy<\/a>/,
    );
    assert.match(html, /<dd class="comment">newer<\/dd>/);
    assert.match(html, /<time datetime="2025-03-10T11:00:00.000Z">2025-03-10 11:00 UTC<\/time>/);
    assert.ok(html.indexOf('newer') < html.indexOf('not recorded'), 'kept in the given order');
    assert.match(html, /<dd class="comment"><span class="missing">none<\/span><\/dd>/);
  });

  it('escapes every stored string, so injected markup renders as text', () => {
    const html = page({
      dislikes: [
        dislikedAnswer({
          comment: '"><img src=x onerror=alert(1)>',
          answer: {
            ...dislikedAnswer().answer!,
            question: '<script>alert("question")</script>',
            answer: 'Use <b>bold</b> & "quotes"',
            sources: [
              { position: 1, title: '<i>title</i>', url: 'javascript:alert(1)' },
              { position: 2, title: 'ok', url: 'https://x.example/?a=1&b="2"' },
            ],
          },
        }),
      ],
    });
    assert.ok(!html.includes('<script'), 'no script element');
    assert.ok(!html.includes('<img'), 'no injected element');
    assert.ok(!html.includes('<i>title'), 'no injected element in sources');
    assert.match(html, /&lt;script&gt;alert\(&quot;question&quot;\)&lt;\/script&gt;/);
    assert.match(html, /Use &lt;b&gt;bold&lt;\/b&gt; &amp; &quot;quotes&quot;/);
    assert.match(html, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.ok(!html.includes('href="javascript:'), 'a javascript: URL is not a link');
    assert.match(html, /<li>\[1\] &lt;i&gt;title&lt;\/i&gt; javascript:alert\(1\)<\/li>/);
    assert.match(html, /href="https:\/\/x.example\/\?a=1&amp;b=&quot;2&quot;"/);
  });

  it('loads nothing from outside the page and runs no script', () => {
    const html = page();
    assert.doesNotMatch(html, /<script|<link|<img|src=|@import|url\(/i);
  });
});
