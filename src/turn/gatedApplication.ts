import { Application, type ApplicationOptions, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, TurnContext } from 'botbuilder';
import type { Checkpoint } from '../shared/scheduling';
import type { Logger } from '../shared/logging';
import { leaveOpenedTurn, takeOpenedTurn } from './openedTurns';
import type { Turn } from './turn';

/** Decides, before anything else happens in a turn, whether the bot handles the activity at all. */
export type TurnGate = (context: TurnContext) => Promise<boolean>;

/** How the application admits an activity, before teams-ai loads the turn's state. */
export interface Admission {
  gate: TurnGate;
  /**
   * Opens the answer turn of a message that will be answered (its stream sends the informative update at
   * once); undefined for every other activity.
   */
  openAnswer(context: TurnContext): Turn | undefined;
  /** Where the rest of an admitted turn gives way to new arrivals (see FairShare). */
  checkpoint: Checkpoint;
  logger: Logger;
}

/**
 * A Teams AI `Application` that admits an activity before teams-ai does anything with it:
 * - the gate first: teams-ai's own `beforeTurn` runs after the turn's state was loaded and saves it again when
 *   it refuses, so a refused tenant would still leave rows behind; a refused activity touches neither the
 *   storage nor the model;
 * - then, for a message that will be answered, the answer's turn is opened, so the informative update goes out
 *   before the state is loaded, the prompt rendered and tokenized;
 * - then the rest of the turn waits for its fair share of the event loop, so admitted turns never starve the
 *   acknowledgement of new ones.
 * An opened turn the message handler never took (the state could not be loaded) is ended here with the polite
 * final message, so no informative bubble is left open.
 */
export class GatedApplication extends Application<TurnState> {
  constructor(
    options: Partial<ApplicationOptions<TurnState>>,
    private readonly admission: Admission,
  ) {
    super(options);
  }

  /** Runs the turn when the gate admits the activity; returns false (not handled) otherwise. */
  override async run(context: TurnContext): Promise<boolean> {
    if (!(await this.admission.gate(context))) return false;
    const opened = this.openAnswer(context);
    const turnToWait = this.admission.checkpoint();
    if (turnToWait) await turnToWait;
    if (!opened) return super.run(context);
    try {
      return await super.run(context);
    } catch (error) {
      if (takeOpenedTurn(context) !== opened) throw error;
      // The handler never took the turn: this failure is the turn's, told to the user by its final message.
      this.admission.logger.error({ err: error }, 'the turn failed before its answer started');
      opened.recordFailure(error);
      await opened.finish();
      return true;
    } finally {
      if (takeOpenedTurn(context) === opened) {
        opened.recordFailure(new Error('no handler answered the message'));
        await opened.finish();
      }
    }
  }

  private openAnswer(context: TurnContext): Turn | undefined {
    const { activity } = context;
    if (activity.type !== String(ActivityTypes.Message)) return undefined;
    // teams-ai removes the bot's @mention before routing (removeRecipientMention); the turn's question must
    // be the text the handler would have seen. Removing it twice changes nothing.
    if (this.options.removeRecipientMention) activity.text = TurnContext.removeRecipientMention(activity);
    const turn = this.admission.openAnswer(context);
    if (turn) leaveOpenedTurn(context, turn);
    return turn;
  }
}
