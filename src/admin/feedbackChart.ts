import type { DailyFeedbackCounts } from '../storage';
import { escapeHtml } from './html';

/** Colours of the two series, shared with the page legend. */
export const CHART_COLOURS = { like: '#2e7d32', dislike: '#c62828' } as const;

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 12, bottom: 36, left: 40 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Every how many days the x axis gets a date label. */
const LABEL_EVERY = 5;

/**
 * An inline SVG bar chart of likes and dislikes per day: one green and one red bar side by side per day, a
 * y axis from zero to the busiest day, dates under every fifth day and the last. Bars exist only for days with
 * feedback; each carries its day, reaction and count as data attributes and a tooltip. Pure: no scripts,
 * fonts or external references, so it renders offline under a `default-src 'none'` policy.
 */
export function renderFeedbackChart(days: readonly DailyFeedbackCounts[]): string {
  const busiest = Math.max(1, ...days.map((day) => Math.max(day.likes, day.dislikes)));
  const slot = days.length > 0 ? PLOT_WIDTH / days.length : PLOT_WIDTH;
  const barWidth = Math.max(1, (slot - 4) / 2);
  const y = (count: number) => MARGIN.top + PLOT_HEIGHT - (count / busiest) * PLOT_HEIGHT;
  const parts: string[] = [];

  for (const tick of yTicks(busiest)) {
    const tickY = round(y(tick));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${tickY}" x2="${WIDTH - MARGIN.right}" y2="${tickY}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${tickY + 4}" text-anchor="end" font-size="11" fill="#555">${tick}</text>`,
    );
  }

  days.forEach((day, index) => {
    const slotX = MARGIN.left + index * slot;
    parts.push(bar(day.day, 'like', day.likes, slotX + 2, barWidth, y));
    parts.push(bar(day.day, 'dislike', day.dislikes, slotX + 2 + barWidth, barWidth, y));
    if (index % LABEL_EVERY === 0 || index === days.length - 1) {
      parts.push(
        `<text x="${round(slotX + slot / 2)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(day.day.slice(5))}</text>`,
      );
    }
  });

  const baseline = MARGIN.top + PLOT_HEIGHT;
  parts.push(
    `<line x1="${MARGIN.left}" y1="${baseline}" x2="${WIDTH - MARGIN.right}" y2="${baseline}" stroke="#888"/>`,
  );
  if (days.every((day) => day.likes === 0 && day.dislikes === 0)) {
    parts.push(
      `<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${MARGIN.top + PLOT_HEIGHT / 2}" text-anchor="middle" font-size="14" fill="#777">No feedback in this period</text>`,
    );
  }

  const label = `Likes and dislikes per day, ${days[0]?.day ?? ''} to ${days.at(-1)?.day ?? ''}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="feedback-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(label)}">` +
    parts.filter((part) => part !== '').join('') +
    '</svg>'
  );
}

function bar(
  day: string,
  reaction: 'like' | 'dislike',
  count: number,
  x: number,
  width: number,
  y: (count: number) => number,
): string {
  if (count <= 0) return '';
  const top = round(y(count));
  const height = round(MARGIN.top + PLOT_HEIGHT - top);
  const noun = reaction === 'like' ? (count === 1 ? 'like' : 'likes') : count === 1 ? 'dislike' : 'dislikes';
  return (
    `<rect class="bar ${reaction}" data-day="${escapeHtml(day)}" data-reaction="${reaction}" data-count="${count}" ` +
    `x="${round(x)}" y="${top}" width="${round(width)}" height="${height}" fill="${CHART_COLOURS[reaction]}">` +
    `<title>${escapeHtml(day)}: ${count} ${noun}</title></rect>`
  );
}

/** Whole-number gridlines: 0, the maximum, and the middle when it is a whole number. */
function yTicks(max: number): number[] {
  const ticks = [0, max];
  if (max % 2 === 0 && max > 2) ticks.splice(1, 0, max / 2);
  return ticks;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
