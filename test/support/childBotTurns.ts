import type { BotProcess } from '../e2e/botProcess';
import type { FakeBotConnector } from './fakeBotConnector';
import type { TestBot } from './testBot';

/**
 * The bot running as a child process, seen as `postAndWaitForAnswer` wants it: activities are posted to its
 * /api/messages with the fake connector as their serviceUrl.
 */
export function childBotTurns(
  bot: BotProcess,
  connector: FakeBotConnector,
): Pick<TestBot, 'post' | 'connector'> {
  return {
    connector,
    async post(activity) {
      const response = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ serviceUrl: connector.url, ...activity }),
      });
      return { status: response.status, body: await response.text() };
    },
  };
}
