import { strict as assert } from 'node:assert';
import { createSerializer } from '@azure/core-client';
import type { Activity } from 'botbuilder';
import * as Mappers from 'botframework-connector/lib/connectorApi/models/mappers';
import { installEntitySerializationFix } from '../../src/streaming';

/** The entities of a streaming update as TeamsStreamer sends them: streaminfo plus the AI/citation entity. */
function typingUpdate(): Partial<Activity> {
  return {
    type: 'typing',
    text: 'Install GlobalProtect [1]',
    entities: [
      { type: 'streaminfo', streamType: 'streaming', streamSequence: 2, streamId: 'stream-1' },
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        '@id': '',
        additionalType: ['AIGeneratedContent'],
        citation: [
          {
            '@type': 'Claim',
            position: 1,
            appearance: {
              '@type': 'DigitalDocument',
              name: 'VPN guide',
              abstract: 'Install GlobalProtect and sign in with MFA.',
              url: 'https://contoso.example/vpn',
            },
          },
        ],
      },
    ],
  };
}

/** Serializes an activity exactly as botbuilder's connector does before it goes on the wire. */
function toWire(activity: Partial<Activity>, mappers: Record<string, unknown> = Mappers) {
  const wire: unknown = createSerializer(mappers, false).serialize(Mappers.Activity, activity, 'activity');
  return wire as { type: string; text: string; entities: Record<string, unknown>[] };
}

/** botbuilder 4.23.3's own Entity mapper, without whatever the fix (or any earlier test) added to it. */
function originalMappers(): Record<string, unknown> {
  const entity = structuredClone(Mappers.Entity);
  delete entity.type.additionalProperties;
  return { ...Mappers, Entity: entity };
}

describe('installEntitySerializationFix', () => {
  it('without the fix, botbuilder’s serializer strips every entity field but type, text and mentioned', () => {
    const wire = toWire(typingUpdate(), originalMappers());
    assert.deepEqual(wire.entities, [{ type: 'streaminfo' }, { type: 'https://schema.org/Message' }]);
  });

  describe('with the fix installed', () => {
    before(() => {
      installEntitySerializationFix();
    });

    it('keeps streamType, streamSequence and streamId on the streaminfo entity', () => {
      const [streamInfo] = toWire(typingUpdate()).entities;
      assert.deepEqual(streamInfo, {
        type: 'streaminfo',
        streamType: 'streaming',
        streamSequence: 2,
        streamId: 'stream-1',
      });
    });

    it('keeps the AI label and the citations, nested objects intact, on the schema.org Message entity', () => {
      const activity = typingUpdate();
      const [, message] = toWire(activity).entities;
      assert.deepEqual(message, activity.entities![1]);
      assert.deepEqual(message.additionalType, ['AIGeneratedContent']);
      assert.equal(
        (message.citation as { appearance: { url: string } }[])[0].appearance.url,
        'https://contoso.example/vpn',
      );
    });

    it('still serializes a mention entity’s own fields', () => {
      const wire = toWire({
        type: 'message',
        text: '<at>Dana</at> hello',
        entities: [
          {
            type: 'mention',
            text: '<at>Dana</at>',
            mentioned: { id: '29:dana', name: 'Dana Scully' },
          },
        ],
      });
      assert.deepEqual(wire.entities, [
        { type: 'mention', text: '<at>Dana</at>', mentioned: { id: '29:dana', name: 'Dana Scully' } },
      ]);
    });

    it('is idempotent: installing it again changes nothing', () => {
      const entityType = Mappers.Entity.type;
      const installed = entityType.additionalProperties;
      assert.ok(installed, 'the Entity mapper declares additionalProperties');
      const once = toWire(typingUpdate());
      installEntitySerializationFix();
      installEntitySerializationFix();
      assert.equal(entityType.additionalProperties, installed, 'the same mapper object, not a new one');
      assert.deepEqual(toWire(typingUpdate()), once);
    });
  });
});
