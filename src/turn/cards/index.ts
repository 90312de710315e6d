/**
 * The Adaptive Card shown under a final answer (sources, tools used, offline notice, follow-up buttons)
 * and the follow-up questions it offers; the confirmation card of a pending change and its outcome.
 */
export { buildAnswerCard } from './answerCard';
export { suggestFollowUps } from './followUps';
export type { AnswerCardInput, CardSource } from './types';
export {
  adaptiveCardAttachment,
  buildConfirmationCard,
  buildConfirmationResultCard,
  CONFIRMATION_VERB,
  type AdaptiveCardJson,
  type ConfirmationButtonData,
} from './confirmationCard';
