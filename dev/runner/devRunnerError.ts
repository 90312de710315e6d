import { AppError } from '../../src/shared/errors';

/** The local dev environment (bot + Agents Playground) could not start or stopped unexpectedly. */
export class DevRunnerError extends AppError {
  readonly isRetryable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
