import { DevRunnerError } from '../../dev/runner/devRunnerError';
import type { ChildExit } from '../../dev/runner/managedChild';

/**
 * The port a starting child process reports (`listening`), or a DevRunnerError naming `what` when it does
 * not report one within `timeoutMs` or exits first. An exit after the port was read is not an error here.
 */
export function waitForChildPort(
  what: string,
  listening: Promise<number>,
  exited: Promise<ChildExit>,
  timeoutMs: number,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DevRunnerError(`${what} did not report its port within ${timeoutMs} ms`)),
      timeoutMs,
    );
    void listening.then((port) => {
      clearTimeout(timer);
      resolve(port);
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new DevRunnerError(`${what} exited while starting (code ${exit.code}, signal ${exit.signal})`));
    });
  });
}
