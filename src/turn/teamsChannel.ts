/**
 * The one place that decides whether an activity comes from Microsoft Teams.
 *
 * Microsoft 365 Copilot Chat delivers a custom engine agent's turns through the Teams channel with a compound
 * channel id, base channel and subchannel joined by a colon: `msteams:Copilot` (docs/teams-platform-facts.md
 * §9). Those conversations are 1:1 and speak the Teams protocol (streaming, citations, AI label, feedback), so
 * a plain `channelId === 'msteams'` would silently treat them as another channel. Every channel decision of
 * the bot goes through {@link isTeamsChannel}; replies keep the channel id the activity came with.
 *
 * The comparison follows the Microsoft 365 Agents SDK's own fix (Agents-for-js PR #1001): the primary channel
 * is the text before the first colon and is compared exactly with `msteams`, as Bot Framework compares
 * channel ids everywhere (`Channels.Msteams`). The subchannel is compared case-insensitively, because Microsoft
 * spells it both `Copilot` (on the wire) and `COPILOT` (the Agents SDK's `Channels.M365CopilotSubChannel`).
 */

/** The Bot Framework channel id of Microsoft Teams (botbuilder's `Channels.Msteams`). */
export const TEAMS_CHANNEL_ID = 'msteams';

/** The subchannel of Microsoft 365 Copilot Chat: `msteams:Copilot`. */
export const COPILOT_SUBCHANNEL = 'Copilot';

/** A channel id split into its primary channel and optional subchannel. */
export interface ParsedChannelId {
  channel: string;
  subChannel: string | undefined;
}

/** Splits `base:sub` at the first colon; an id without a colon has no subchannel. */
export function parseChannelId(channelId: string | undefined): ParsedChannelId {
  const value = channelId ?? '';
  const colon = value.indexOf(':');
  if (colon === -1) return { channel: value, subChannel: undefined };
  return { channel: value.slice(0, colon), subChannel: value.slice(colon + 1) };
}

/** True for Teams: `msteams` itself and any compound `msteams:<subchannel>` (Copilot Chat among them). */
export function isTeamsChannel(channelId: string | undefined): boolean {
  return parseChannelId(channelId).channel === TEAMS_CHANNEL_ID;
}

/** True for Microsoft 365 Copilot Chat: `msteams:Copilot` (subchannel in any letter case). */
export function isCopilot(channelId: string | undefined): boolean {
  const { channel, subChannel } = parseChannelId(channelId);
  return channel === TEAMS_CHANNEL_ID && subChannel?.toLowerCase() === COPILOT_SUBCHANNEL.toLowerCase();
}
