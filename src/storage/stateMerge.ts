/**
 * Re-applies one turn's changes to state that another turn changed meanwhile (a three-way merge of plain
 * JSON objects): `base` is the state as this turn read it, `mine` as this turn wants to write it, `latest`
 * as it is stored now.
 *
 * - A field this turn left unchanged takes the latest value.
 * - A field this turn removed is removed.
 * - An array this turn appended to (conversation history: `mine` is `base`, possibly trimmed from the
 *   front, plus new entries) becomes the latest array plus this turn's new entries, trimmed to this
 *   turn's length when this turn trimmed.
 * - An object both changed is merged field by field, the same way.
 * - Any other field this turn changed takes this turn's value.
 */
export function mergeStateChanges(
  base: Readonly<Record<string, unknown>>,
  mine: Readonly<Record<string, unknown>>,
  latest: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const names = new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(latest)]);
  for (const name of names) {
    const inMine = Object.prototype.hasOwnProperty.call(mine, name);
    const inLatest = Object.prototype.hasOwnProperty.call(latest, name);
    if (sameJson(base[name], mine[name]) && inMine === Object.prototype.hasOwnProperty.call(base, name)) {
      if (inLatest) merged[name] = latest[name];
      continue;
    }
    if (!inMine) continue;
    merged[name] = mergeValue(base[name], mine[name], latest[name]);
  }
  return merged;
}

function mergeValue(base: unknown, mine: unknown, latest: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(mine) && Array.isArray(latest)) {
    return mergeAppended(base, mine, latest);
  }
  if (isPlainObject(base) && isPlainObject(mine) && isPlainObject(latest)) {
    return mergeStateChanges(base, mine, latest);
  }
  return mine;
}

/** The latest array plus the entries this turn appended; this turn's value when it did more than append. */
function mergeAppended(base: unknown[], mine: unknown[], latest: unknown[]): unknown[] {
  const kept = keptTail(base, mine);
  if (kept === undefined) return mine;
  const appended = mine.slice(kept);
  const merged = [...latest, ...appended];
  const trimmed = kept < base.length;
  return trimmed ? merged.slice(Math.max(0, merged.length - mine.length)) : merged;
}

/**
 * How many entries at the start of `mine` are the last entries of `base` (the longest such overlap), or
 * undefined when `mine` does not continue `base` at all.
 */
function keptTail(base: unknown[], mine: unknown[]): number | undefined {
  if (base.length === 0) return 0;
  const baseJson = base.map((entry) => JSON.stringify(entry));
  const mineJson = mine.map((entry) => JSON.stringify(entry));
  for (let overlap = Math.min(base.length, mine.length); overlap > 0; overlap--) {
    const offset = base.length - overlap;
    let matches = true;
    for (let index = 0; index < overlap && matches; index++) {
      matches = baseJson[offset + index] === mineJson[index];
    }
    if (matches) return overlap;
  }
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
