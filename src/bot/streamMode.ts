import type { TurnContext } from 'botbuilder';
import type { StreamMode } from '../streaming';

/**
 * Teams streams only in 1:1 chats; group chats and channels refuse it, so they get one final message.
 */
export function streamModeOf(context: TurnContext): StreamMode {
  const { channelId, conversation } = context.activity;
  return channelId === 'msteams' && conversation?.conversationType === 'personal' ? 'stream' : 'single';
}
