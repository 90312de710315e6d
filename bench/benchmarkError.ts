import { AppError } from '../src/shared/errors';

/** The benchmark itself could not run as planned: a helper process died, a deadline passed, a server failed. */
export class BenchmarkError extends AppError {
  readonly isRetryable = false;
}
