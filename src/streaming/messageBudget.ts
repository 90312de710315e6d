/** Size of an activity as Teams measures messages: its JSON in UTF-16 (two bytes per code unit). */
export function activitySize(activity: object): number {
  return JSON.stringify(activity).length * 2;
}

/**
 * How much of `text` goes into one message: the longest prefix for which `fits` holds, moved back to the
 * last paragraph break (else line break, sentence end, or space) in its second half, and never splitting a
 * UTF-16 surrogate pair. Returns at least 1 for non-empty text so a caller always makes progress.
 */
export function cutForBudget(text: string, fits: (prefix: string) => boolean): number {
  if (text.length === 0 || fits(text)) return text.length;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(text.slice(0, middle))) low = middle;
    else high = middle - 1;
  }
  const limit = Math.max(1, low);
  return avoidSurrogateSplit(text, naturalBoundary(text, limit));
}

/** The last natural break at or before `limit`, in its second half; `limit` when there is none. */
function naturalBoundary(text: string, limit: number): number {
  const window = text.slice(0, limit);
  const floor = Math.floor(limit / 2);
  for (const pattern of [/\n\s*\n/g, /\n/g, /[.!?]\s/g, /\s/g]) {
    let best = -1;
    for (const match of window.matchAll(pattern)) best = match.index + match[0].length;
    if (best > floor) return best;
  }
  return limit;
}

function avoidSurrogateSplit(text: string, cut: number): number {
  const previous = text.charCodeAt(cut - 1);
  return cut > 1 && cut < text.length && previous >= 0xd800 && previous <= 0xdbff ? cut - 1 : cut;
}
