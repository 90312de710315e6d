import { strict as assert } from 'node:assert';
import { renderFeedbackChart } from '../../src/admin';
import type { DailyFeedbackCounts } from '../../src/storage';

/** The chart's bars as { day, reaction, count, height }. */
function bars(svg: string): Array<{ day: string; reaction: string; count: number; height: number }> {
  const pattern =
    /<rect class="bar \w+" data-day="([^"]+)" data-reaction="(\w+)" data-count="(\d+)" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g;
  return [...svg.matchAll(pattern)].map((match) => ({
    day: match[1] ?? '',
    reaction: match[2] ?? '',
    count: Number(match[3]),
    height: Number(match[4]),
  }));
}

function days(counts: Array<[number, number]>): DailyFeedbackCounts[] {
  return counts.map(([likes, dislikes], index) => ({
    day: `2025-03-${String(index + 1).padStart(2, '0')}`,
    likes,
    dislikes,
  }));
}

describe('feedback chart (inline SVG)', () => {
  it('draws one bar per non-zero count, heights proportional to the busiest day', () => {
    const svg = renderFeedbackChart(
      days([
        [4, 0],
        [0, 0],
        [2, 1],
      ]),
    );
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* role="img"/);
    assert.ok(svg.endsWith('</svg>'));
    const drawn = bars(svg);
    assert.deepEqual(
      drawn.map(({ day, reaction, count }) => [day, reaction, count]),
      [
        ['2025-03-01', 'like', 4],
        ['2025-03-03', 'like', 2],
        ['2025-03-03', 'dislike', 1],
      ],
    );
    const [four, two, one] = drawn.map((bar) => bar.height);
    assert.ok(four && two && one);
    assert.ok(Math.abs(four / two - 2) < 0.05 && Math.abs(four / one - 4) < 0.05, `${four}/${two}/${one}`);
    assert.match(svg, /<title>2025-03-03: 1 dislike<\/title>/);
    assert.match(svg, /<title>2025-03-01: 4 likes<\/title>/);
  });

  it('labels the y axis with the busiest count and the x axis with dates', () => {
    const svg = renderFeedbackChart(
      days(Array.from({ length: 30 }, (_, i): [number, number] => [i % 3, 6 - (i % 7)])),
    );
    assert.match(svg, />6<\/text>/);
    assert.match(svg, />03-01<\/text>/);
    assert.match(svg, />03-30<\/text>/, 'the last day is labelled');
  });

  it('says so, without bars, when there is no feedback in the period', () => {
    const svg = renderFeedbackChart(
      days([
        [0, 0],
        [0, 0],
      ]),
    );
    assert.equal(bars(svg).length, 0);
    assert.match(svg, /No feedback in this period/);
  });

  it('references nothing outside itself (renders offline)', () => {
    const svg = renderFeedbackChart(days([[1, 2]]));
    assert.doesNotMatch(svg, /href|<script|<image|url\(/i);
  });
});
