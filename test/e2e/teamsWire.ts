import type { ActivityJson } from '../support/playgroundClient';

/** The streaming fields Teams reads from the `streaminfo` entity. */
export interface StreamInfo {
  streamType?: string;
  streamSequence?: number;
  streamId?: string;
}

/** The root AI entity of a message (the "AI generated" label and its citations). */
export interface AiEntity {
  additionalType?: unknown;
  citation?: Citation[];
}

/** One citation as Teams reads it. */
export interface Citation {
  position?: number;
  appearance?: { name?: string; abstract?: string; keywords?: string[] };
}

/** The entity type of the AI label. */
export const AI_ENTITY_TYPE = 'https://schema.org/Message';
/** The content type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The activity's `streaminfo` entity, if it has one. */
export function streamInfoOf(activity: ActivityJson): StreamInfo | undefined {
  return activity.entities?.find((entity) => entity.type === 'streaminfo') as StreamInfo | undefined;
}

/** The activity's AI-label entities (Teams accepts exactly one). */
export function aiEntitiesOf(activity: ActivityJson): AiEntity[] {
  return (activity.entities ?? []).filter((entity) => entity.type === AI_ENTITY_TYPE) as AiEntity[];
}

/** The numbers of the `[n]` citation markers in a text, in order of appearance. */
export function citationMarkers(text: string): number[] {
  return [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}
