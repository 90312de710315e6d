import type { OpenStream } from './openStreams';

/** A row of `open_streams` as both backends return it (BIGINT arrives as a string from pg). */
export interface OpenStreamRow {
  stream_id: string;
  conversation_id: string;
  service_url: string;
  tenant_id: string;
  reference: string;
  locale: string | null;
  started_at: number | string;
  shown_text: string;
  stream_sequence: number | string;
  owner_id: string;
  updated_at: number | string;
}

/** The columns in the order `openStreamValues` lists them. */
export const OPEN_STREAM_COLUMNS =
  'stream_id, conversation_id, service_url, tenant_id, reference, locale, started_at, shown_text, ' +
  'stream_sequence, owner_id, updated_at';

/** An OpenStream as the values of {@link OPEN_STREAM_COLUMNS}. */
export function openStreamValues(stream: OpenStream): Array<string | number | null> {
  return [
    stream.streamId,
    stream.conversationId,
    stream.serviceUrl,
    stream.tenantId,
    JSON.stringify(stream.reference),
    stream.locale ?? null,
    stream.startedAt,
    stream.shownText,
    stream.streamSequence,
    stream.ownerId,
    stream.updatedAt,
  ];
}

/** A row read back as an OpenStream. */
export function openStreamOf(row: OpenStreamRow): OpenStream {
  return {
    streamId: row.stream_id,
    conversationId: row.conversation_id,
    serviceUrl: row.service_url,
    tenantId: row.tenant_id,
    reference: JSON.parse(row.reference) as Record<string, unknown>,
    locale: row.locale ?? undefined,
    startedAt: Number(row.started_at),
    shownText: row.shown_text,
    streamSequence: Number(row.stream_sequence),
    ownerId: row.owner_id,
    updatedAt: Number(row.updated_at),
  };
}
