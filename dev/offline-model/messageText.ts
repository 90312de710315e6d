import type { ChatContent } from './types';

/**
 * The text of a message's content: the string itself, or its text parts joined by newlines (image and
 * other non-text parts are skipped). Null content has no text.
 */
export function messageText(content: ChatContent | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}
