import { AssertionError } from 'node:assert';
import type { ReceivedActivity } from './fakeBotConnector';
import type { TestBot } from './testBot';
import { waitFor } from './waitFor';

/** Options of {@link postAndWaitForAnswer}. */
export interface WaitForAnswerOptions {
  /**
   * When the answer counts as arrived, given the activities sent to the conversation since the post.
   * Default: a new activity of type `message` (the final message of a stream, or a group chat's answer).
   */
  until?: (sentSincePost: ReceivedActivity[]) => boolean;
  /** After that, wait until nothing new arrives for this long; default 300 ms. */
  settleMs?: number;
  /** Fail when the answer has not arrived after this long; default 20 s. */
  timeoutMs?: number;
}

/** The final message (an activity of type message) has arrived. */
function hasFinalMessage(sent: ReceivedActivity[]): boolean {
  return sent.some((activity) => activity.body.type === 'message');
}

/** The conversation id of an inbound activity built by the test helpers. */
function conversationIdOf(activity: Record<string, unknown>): string {
  const conversation = activity.conversation as { id?: unknown } | undefined;
  if (typeof conversation?.id !== 'string') throw new TypeError('the activity has no conversation id');
  return conversation.id;
}

/**
 * POSTs an activity to the bot and waits until its answer has arrived at the fake connector: the bot
 * answers the HTTP request as soon as the turn starts, so the answer comes later. Returns the HTTP answer.
 */
export async function postAndWaitForAnswer(
  bot: Pick<TestBot, 'post' | 'connector'>,
  activity: Record<string, unknown>,
  options: WaitForAnswerOptions = {},
): Promise<{ status: number; body: string }> {
  const conversationId = conversationIdOf(activity);
  const until = options.until ?? hasFinalMessage;
  const settleMs = options.settleMs ?? 300;
  const before = bot.connector.forConversation(conversationId).length;
  const sentSincePost = () => bot.connector.forConversation(conversationId).slice(before);

  const response = await bot.post(activity);
  if (!(await waitFor(() => until(sentSincePost()), options.timeoutMs ?? 20000))) {
    throw new AssertionError({
      message: `no answer arrived in conversation ${conversationId} (HTTP ${response.status}, ${sentSincePost().length} activities since the post)`,
    });
  }
  let count = sentSincePost().length;
  let quietSince = Date.now();
  await waitFor(() => {
    const now = sentSincePost().length;
    if (now !== count) {
      count = now;
      quietSince = Date.now();
    }
    return Date.now() - quietSince >= settleMs;
  }, Number.POSITIVE_INFINITY);
  return response;
}
