import Mocha from 'mocha';

/**
 * mocha's spec reporter plus one closing line in the plain form CI reads ("N passed, N failed, N skipped").
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      // The spec reporter prints its epilogue on the same event; this line comes after it.
      setImmediate(() => console.log(`${passes} passed, ${failures} failed, ${pending} skipped`));
    });
  }
}

// mocha loads a reporter by path and takes the module itself as the reporter class.
export = SummaryReporter;
