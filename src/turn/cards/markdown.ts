/** Longer URLs are not linked: they would take much of the card's size budget for no visible gain. */
export const MAX_LINK_URL_CHARS = 500;

/**
 * Escapes backslashes and square brackets (CommonMark backslash escapes), so text from documents cannot
 * form a Markdown link of its own or break the link it is the label of.
 */
export function escapeMarkdownText(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&');
}

/**
 * The URL in a form that is safe as a Markdown link target, or undefined when it should not be linked:
 * not an absolute http(s) URL, or longer than {@link MAX_LINK_URL_CHARS}. Parentheses and whitespace, which
 * would end the link target early, are percent-encoded.
 */
export function linkTarget(url: string | undefined): string | undefined {
  const trimmed = url?.trim();
  if (!trimmed || !URL.canParse(trimmed)) {
    return undefined;
  }
  const parsed = new URL(trimmed);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  const href = parsed.href.replace(
    /[()<>\s]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return href.length <= MAX_LINK_URL_CHARS ? href : undefined;
}
