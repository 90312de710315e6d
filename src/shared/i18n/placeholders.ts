/** Matches one `{name}` placeholder; the name is captured. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The distinct placeholder names in a message, sorted, e.g. `['title']` for 'Tell me more about {title}'. */
export function placeholderNames(message: string): string[] {
  const names = new Set<string>();
  for (const match of message.matchAll(PLACEHOLDER)) {
    names.add(match[1]);
  }
  return [...names].sort();
}

/**
 * Replaces each `{name}` with `params[name]`. A placeholder without a param stays as it is, so a mistake is
 * visible instead of silently dropping text. Replacement is a single pass: braces inside a value are kept literally.
 */
export function fillPlaceholders(message: string, params: Readonly<Record<string, string | number>>): string {
  return message.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
