import { TurnContext } from 'botbuilder';
import type { OpenStreamStore } from '../storage';
import type { StreamJournal } from '../streaming';
import type { Clock } from '../shared/time';
import { conversationScopeOf } from './requester';

/** Who records: the process that owns the stream, and its clock. */
export interface OpenStreamRecordingOptions {
  /** This process's id (`PROCESS_INSTANCE_ID`). */
  ownerId: string;
  clock: Clock;
}

/**
 * The journal of one Teams turn's stream on the open-streams store: its first update inserts a row with what
 * another process needs to close the stream after a crash (the conversation reference, serviceUrl, tenant,
 * locale, start time), each later update one small UPDATE (the text shown, the sequence, the lease), and its
 * end deletes the row.
 */
export function openStreamRecording(
  store: OpenStreamStore,
  context: TurnContext,
  options: OpenStreamRecordingOptions,
): StreamJournal {
  const { clock, ownerId } = options;
  const { tenantId, conversationId } = conversationScopeOf(context);
  return {
    opened: (progress) => {
      const now = clock.now();
      const reference = TurnContext.getConversationReference(context.activity);
      return store.opened({
        ...progress,
        conversationId,
        serviceUrl: context.activity.serviceUrl,
        tenantId,
        // A plain JSON object: the fields botbuilder needs to send into the conversation again.
        reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
        locale: context.activity.locale,
        startedAt: now,
        ownerId,
        updatedAt: now,
      });
    },
    progressed: (progress) => store.progressed({ ...progress, conversationId, updatedAt: clock.now() }),
    closed: (streamId) => store.closed(conversationId, streamId),
  };
}
