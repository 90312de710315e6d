import type { TurnState } from '@microsoft/teams-ai';

/** Where ActionPlanner keeps the `chat` prompt's history (it derives `conversation.<prompt>_history`). */
export const CHAT_HISTORY_VARIABLE = 'conversation.chat_history';

interface HistoryMessage {
  role: string;
  content?: unknown;
  action_calls?: unknown[];
}

/**
 * Records a turn the user stopped: the history then holds the question and exactly the text the user saw,
 * marked as stopped, so the model knows on the next turn what was and was not said. teams-ai keeps either
 * nothing (the aborted request failed) or everything the model produced before the abort (more than was shown).
 */
export function recordStoppedAnswer(
  state: TurnState,
  question: string,
  shownText: string,
  marker: string,
): void {
  const history = [...(state.getValue<HistoryMessage[] | undefined>(CHAT_HISTORY_VARIABLE) ?? [])];
  const content = shownText.trim() ? `${shownText.trim()} ${marker}` : marker;
  const last = history.at(-1);
  if (last?.role === 'assistant' && !last.action_calls?.length) {
    history[history.length - 1] = { role: 'assistant', content };
  } else {
    if (!(last?.role === 'user' && last.content === question))
      history.push({ role: 'user', content: question });
    history.push({ role: 'assistant', content });
  }
  state.setValue(CHAT_HISTORY_VARIABLE, history);
}
