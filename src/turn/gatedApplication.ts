import { Application, type ApplicationOptions, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, TurnContext } from 'botbuilder';
import { translate } from '../shared/i18n';
import type { Logger } from '../shared/logging';
import type { Checkpoint } from '../shared/scheduling';
import type { AdmissionDecision, AnswerAdmission } from './answerAdmission';
import { leaveOpenedTurn, takeOpenedTurn } from './openedTurns';
import { conversationScopeOf, requesterOf } from './requester';
import type { Turn } from './turn';

/** Decides, before anything else happens in a turn, whether the bot handles the activity at all. */
export type TurnGate = (context: TurnContext) => Promise<boolean>;

/** How the application admits an activity, before teams-ai loads the turn's state. */
export interface Admission {
  gate: TurnGate;
  /** Whether the message handler answers this message (every message but a help request). */
  answers(context: TurnContext): boolean;
  /** Opens the answer turn of a message that will be answered: its stream sends the informative update. */
  openAnswer(context: TurnContext): Turn;
  /** How many answers run at once, and how fast one user or conversation may ask. */
  answerAdmission: AnswerAdmission;
  /** Where the rest of an admitted turn gives way to new arrivals (see FairShare). */
  checkpoint: Checkpoint;
  logger: Logger;
}

/**
 * A Teams AI `Application` that admits an activity before teams-ai does anything with it:
 * - the gate first: teams-ai's own `beforeTurn` runs after the turn's state was loaded and saves it again when
 *   it refuses, so a refused tenant would still leave rows behind; a refused activity touches neither the
 *   storage nor the model;
 * - then admission control for a message that will be answered: beyond the answers a process takes on at
 *   once, or past its sender's rate limit, it gets a short localized reply and nothing else;
 * - then the answer's turn is opened, so the informative update goes out before the state is loaded and the
 *   prompt rendered and tokenized;
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
    if (!this.answers(context)) {
      await this.fairShare();
      return super.run(context);
    }
    const decision = this.admission.answerAdmission.admit({
      ...conversationScopeOf(context),
      userId: requesterOf(context).userId,
    });
    if (!decision.admitted) {
      await this.refuse(context, decision);
      return true;
    }
    try {
      return await this.runAnswer(context);
    } finally {
      decision.release();
    }
  }

  /** Opens the answer's turn (the informative update goes out), then runs teams-ai's turn in its fair share. */
  private async runAnswer(context: TurnContext): Promise<boolean> {
    const opened = this.admission.openAnswer(context);
    leaveOpenedTurn(context, opened);
    await this.fairShare();
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

  /**
   * teams-ai 1.7.4's `run` starts its typing timer whatever the `startTypingTimer` option says (and keeps one
   * timer per application, not per turn). With the informative update sent before `run`, nothing would stop that
   * timer before its first tick: a bare typing activity would land in the middle of the stream. The option is
   * honoured here.
   */
  override startTypingTimer(context: TurnContext): void {
    if (this.options.startTypingTimer) super.startTypingTimer(context);
  }

  private answers(context: TurnContext): boolean {
    const { activity } = context;
    if (activity.type !== String(ActivityTypes.Message)) return false;
    // teams-ai removes the bot's @mention before routing (removeRecipientMention); the turn's question must
    // be the text the handler would have seen. Removing it twice changes nothing.
    if (this.options.removeRecipientMention) activity.text = TurnContext.removeRecipientMention(activity);
    return this.admission.answers(context);
  }

  private async fairShare(): Promise<void> {
    const turnToWait = this.admission.checkpoint();
    if (turnToWait) await turnToWait;
  }

  /** The short reply to a message that is not answered now: busy, or too many messages too fast. */
  private async refuse(
    context: TurnContext,
    decision: Extract<AdmissionDecision, { admitted: false }>,
  ): Promise<void> {
    const { locale } = context.activity;
    const text =
      decision.reason === 'busy'
        ? translate(locale, 'admission.busy')
        : translate(locale, 'admission.tooFast', {
            seconds: String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))),
          });
    this.admission.logger.info(
      {
        reason: decision.reason,
        answersInProgress: this.admission.answerAdmission.answersInProgress,
        conversationId: context.activity.conversation?.id,
      },
      'a message was not answered: admission control',
    );
    try {
      await context.sendActivity({ type: 'message', text });
    } catch (error) {
      this.admission.logger.warn({ err: error }, 'the admission reply could not be sent');
    }
  }
}
