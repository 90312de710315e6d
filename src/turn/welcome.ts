import type { TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';

/** Matches messages that ask for help instead of asking a question. */
export const HELP_MESSAGE = /^\s*\/?(help|hilfe|aide|ayuda)\s*[.!?]?\s*$/i;

/** Sends the localized welcome text that lists what the bot can do. */
export async function sendWelcome(context: TurnContext): Promise<void> {
  await context.sendActivity(translate(context.activity.locale, 'welcome'));
}

/** Greets when the bot itself was added to a conversation. */
export async function welcomeWhenBotAdded(context: TurnContext): Promise<void> {
  const botId = context.activity.recipient?.id;
  if (context.activity.membersAdded?.some((member) => member.id === botId)) await sendWelcome(context);
}
