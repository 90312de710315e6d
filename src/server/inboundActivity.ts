import { ActivityTypes } from 'botbuilder';
import { z } from 'zod';
import {
  MAX_ACTIVITY_ATTACHMENTS,
  MAX_ACTIVITY_ENTITIES,
  MAX_ACTIVITY_MEMBERS,
  MAX_ACTIVITY_TEXT_CHARS,
} from './inboundLimits';

const shortText = (max: number) => z.string().max(max);
const dateText = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a date');
const account = z.object({ id: shortText(1024).min(1) }).passthrough();
const optionalAccount = z.object({ id: shortText(1024).optional() }).passthrough();

/**
 * The shape of an inbound activity as far as the bot and the libraries under it read it. Fields are typed and
 * bounded (a wrong type or an oversized value is a 400, never an exception deep inside botbuilder or
 * teams-ai); fields not listed pass through unchecked.
 */
export const inboundActivitySchema = z
  .object({
    type: shortText(64).min(1),
    id: shortText(1024).optional(),
    channelId: shortText(64).min(1),
    serviceUrl: shortText(2048).optional(),
    timestamp: dateText.optional(),
    localTimestamp: dateText.optional(),
    expiration: dateText.optional(),
    from: account,
    recipient: account,
    conversation: z
      .object({
        id: shortText(1024).min(1),
        conversationType: shortText(64).optional(),
        tenantId: shortText(256).optional(),
        isGroup: z.boolean().optional(),
        name: shortText(1024).optional(),
      })
      .passthrough(),
    text: shortText(MAX_ACTIVITY_TEXT_CHARS).optional(),
    textFormat: shortText(64).optional(),
    locale: shortText(64).optional(),
    name: shortText(1024).optional(),
    replyToId: shortText(1024).optional(),
    deliveryMode: shortText(64).optional(),
    channelData: z.record(z.unknown()).optional(),
    entities: z
      .array(z.object({ type: shortText(256) }).passthrough())
      .max(MAX_ACTIVITY_ENTITIES)
      .optional(),
    attachments: z
      .array(z.object({ contentType: shortText(256) }).passthrough())
      .max(MAX_ACTIVITY_ATTACHMENTS)
      .optional(),
    membersAdded: z.array(optionalAccount).max(MAX_ACTIVITY_MEMBERS).optional(),
    membersRemoved: z.array(optionalAccount).max(MAX_ACTIVITY_MEMBERS).optional(),
    reactionsAdded: z
      .array(z.object({ type: shortText(256) }).passthrough())
      .max(MAX_ACTIVITY_ENTITIES)
      .optional(),
    reactionsRemoved: z
      .array(z.object({ type: shortText(256) }).passthrough())
      .max(MAX_ACTIVITY_ENTITIES)
      .optional(),
  })
  .passthrough();

/** The outcome of checking a request body: the activity, or one line saying what is wrong. */
export type InboundCheck = { ok: true } | { ok: false; problem: string };

/** Checks a parsed request body against {@link inboundActivitySchema}. */
export function checkInboundActivity(body: unknown): InboundCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problem: 'the body is not a JSON object' };
  }
  const result = inboundActivitySchema.safeParse(body);
  if (result.success) return { ok: true };
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'activity';
  return { ok: false, problem: `${field}: ${issue?.message ?? 'is invalid'}` };
}

const KNOWN_ACTIVITY_TYPES = new Set<string>(Object.values(ActivityTypes));

/** True for the activity types of the Bot Framework schema; other types are acknowledged and ignored. */
export function isKnownActivityType(type: string): boolean {
  return KNOWN_ACTIVITY_TYPES.has(type);
}
