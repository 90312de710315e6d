import { Application, type ApplicationOptions, type TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';

/** Decides, before anything else happens in a turn, whether the bot handles the activity at all. */
export type TurnGate = (context: TurnContext) => Promise<boolean>;

/**
 * A Teams AI `Application` that asks a gate first. teams-ai's own `beforeTurn` runs after the turn's state
 * was loaded and saves it again when it refuses, so a refused tenant would still leave rows behind; this
 * gate runs before any of that, so a refused activity touches neither the storage nor the model.
 */
export class GatedApplication extends Application<TurnState> {
  constructor(
    options: Partial<ApplicationOptions<TurnState>>,
    private readonly gate: TurnGate,
  ) {
    super(options);
  }

  /** Runs the turn when the gate admits the activity; returns false (not handled) otherwise. */
  override async run(context: TurnContext): Promise<boolean> {
    if (!(await this.gate(context))) return false;
    return super.run(context);
  }
}
