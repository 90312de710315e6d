/**
 * Limits on what `POST /api/messages` accepts. Real Teams activities are far below every one of them (a Teams
 * message holds at most about 28 KB of text, a handful of entities and at most 10 attachments); anything
 * above is refused with a 4xx before it reaches botbuilder.
 */

/** The largest request body accepted, in bytes; a larger one is answered 413. */
export const MAX_ACTIVITY_BODY_BYTES = 256 * 1024;

/** The largest request body accepted by the other routes (the web chat sends its whole history); 413 above. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** The longest `text` (UTF-16 code units) accepted. */
export const MAX_ACTIVITY_TEXT_CHARS = 32_000;

/** The most entities (mentions, client info, AI labels...) one activity may carry. */
export const MAX_ACTIVITY_ENTITIES = 64;

/** The most attachments one activity may carry. */
export const MAX_ACTIVITY_ATTACHMENTS = 32;

/** The most members a conversationUpdate may add or remove at once. */
export const MAX_ACTIVITY_MEMBERS = 256;

/** How long a client may take to send a whole request (headers and body) before the socket is closed. */
export const REQUEST_RECEIVE_TIMEOUT_MS = 30_000;
