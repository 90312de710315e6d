import type { TurnContext } from 'botbuilder';
import type { StreamMode } from '../streaming';
import { isTeamsChannel } from './teamsChannel';

/**
 * Teams streams only in 1:1 chats; group chats and channels refuse it, so they get one final message.
 * Microsoft 365 Copilot Chat (`msteams:Copilot`, always 1:1) streams like a Teams 1:1 chat.
 */
export function streamModeOf(context: TurnContext): StreamMode {
  const { channelId, conversation } = context.activity;
  return isTeamsChannel(channelId) && conversation?.conversationType === 'personal' ? 'stream' : 'single';
}
