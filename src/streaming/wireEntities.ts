import type { ClientCitation } from './citations';

/** The `streaminfo` entity of one streaming send; `streamSequence` is absent on the final message. */
export interface StreamInfo {
  streamType: 'informative' | 'streaming' | 'final';
  streamSequence?: number;
  streamId?: string;
}

/** The entity that marks a message as AI generated and carries its citations (one per message). */
export interface AiMessageEntity {
  type: 'https://schema.org/Message';
  '@type': 'Message';
  '@context': 'https://schema.org';
  '@id': '';
  additionalType?: ['AIGeneratedContent'];
  citation?: ClientCitation[];
}

/** The `streaminfo` entity exactly as Teams reads it. */
export function streamInfoEntity(info: StreamInfo): { type: 'streaminfo' } & StreamInfo {
  return { type: 'streaminfo', ...info };
}

/**
 * The single root schema.org Message entity of a message: the AI label (final message only) and the citations.
 * Returns undefined when there is nothing to say, so updates without citations carry no such entity.
 */
export function aiMessageEntity(options: {
  aiLabel: boolean;
  citations: ClientCitation[];
}): AiMessageEntity | undefined {
  if (!options.aiLabel && options.citations.length === 0) return undefined;
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    ...(options.aiLabel ? { additionalType: ['AIGeneratedContent'] as ['AIGeneratedContent'] } : {}),
    ...(options.citations.length > 0 ? { citation: options.citations } : {}),
  };
}
