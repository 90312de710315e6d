import type { TurnContext } from 'botbuilder';
import type { Turn } from './turn';

/** Where a turn opened ahead of the turn's state waits for the message handler, in the context's turnState. */
const OPENED_TURN = Symbol('openedTurn');

/** Leaves `turn` in the context for the message handler (see `takeOpenedTurn`). */
export function leaveOpenedTurn(context: TurnContext, turn: Turn): void {
  context.turnState.set(OPENED_TURN, turn);
}

/** Takes the turn opened for this activity, if any; after that it is the taker's to run and finish. */
export function takeOpenedTurn(context: TurnContext): Turn | undefined {
  const turn = context.turnState.get<Turn | undefined>(OPENED_TURN);
  context.turnState.delete(OPENED_TURN);
  return turn;
}
