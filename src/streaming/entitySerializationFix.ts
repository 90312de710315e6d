import * as connectorMappers from 'botframework-connector/lib/connectorApi/models/mappers';

/**
 * botbuilder 4.23.3 serializes `activity.entities` through a mapper that knows only `type`, `text` and
 * `mentioned`, so every other field is dropped on the wire: the streaminfo entity loses streamType /
 * streamSequence / streamId and the AI label loses additionalType / citation (docs/teams-platform-facts.md §6,
 * fixed upstream in botbuilder-js PR #4903, not released). Declaring `additionalProperties` on the Entity
 * mapper makes the serializer keep the remaining fields as they are. Idempotent.
 */
export function installEntitySerializationFix(): void {
  const entityType = (connectorMappers.Entity as { type: { additionalProperties?: unknown } }).type;
  entityType.additionalProperties ??= { type: { name: 'Object' } };
}
