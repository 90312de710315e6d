/** How the final text of an answer is worded when the model failed; all localized by the caller. */
export interface FailureWording {
  /** Text appended to the final message when the model failed after it had started answering. */
  partialNotice?: string;
  /** The final text when the model failed before writing anything (or wrote nothing at all). */
  failureText?: string;
  /**
   * How the user is told the id of a model failure (appended to the notice or the failure text); the same
   * id is on the failure's log line. Default: `(error id: <id>)`.
   */
  errorReference?: (errorId: string) => string;
}

/** The final text when nothing was written and no failure text was given. */
export const DEFAULT_FAILURE_TEXT = 'Sorry, something went wrong.';

/**
 * The text of an answer's final message: the answer itself; with a notice (and the error id, when there is
 * one) after it when the model failed; or the failure text when nothing was written. Pure.
 * @param modelFailed whether the model failed this turn.
 * @param errorId the id the user is shown for the failure (the Teams streamer logs it), if any.
 */
export function finalAnswerText(
  text: string,
  modelFailed: boolean,
  errorId: string | undefined,
  wording: FailureWording,
): string {
  if (text.trim().length === 0) {
    return withErrorReference(wording.failureText ?? DEFAULT_FAILURE_TEXT, errorId, wording);
  }
  if (!modelFailed) return text;
  const notice = withErrorReference(wording.partialNotice ?? '', errorId, wording);
  return notice ? `${text}\n\n${notice}`.trimEnd() : text;
}

/** The text followed by the model failure's error id, when there is one. */
function withErrorReference(text: string, errorId: string | undefined, wording: FailureWording): string {
  if (errorId === undefined) return text;
  const reference = wording.errorReference?.(errorId) ?? `(error id: ${errorId})`;
  return text ? `${text} ${reference}` : reference;
}
