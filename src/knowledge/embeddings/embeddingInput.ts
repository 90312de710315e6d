import { createHash } from 'node:crypto';

/** What is embedded for a passage: its document title and section path give the text its context. */
export function embeddingInput(passage: { title: string; heading: string; text: string }): string {
  return [passage.title, passage.heading, passage.text].filter((part) => part !== '').join('\n');
}

/** The key a passage's vector is stored under: a hash of exactly what was embedded. */
export function embeddingHash(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}
