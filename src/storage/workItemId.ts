/** Formats a work item's integer key as its public id, e.g. 7 → 'WI-7'. */
export function formatWorkItemId(key: number): string {
  return `WI-${key}`;
}

/**
 * Parses a work item id as people and models write it: 'WI-7', 'wi-7', 'WI 7', '#7' or '7'.
 * @returns the integer key, or undefined when the text is not a work item id.
 */
export function parseWorkItemId(id: string): number | undefined {
  const match = /^\s*(?:wi[\s-]?|#)?0*(\d{1,15})\s*$/i.exec(id);
  if (!match) return undefined;
  const key = Number(match[1]);
  return Number.isSafeInteger(key) && key > 0 ? key : undefined;
}
