import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { withoutConsoleErrors } from '../../src/server/security/quietTokenValidation';

describe('withoutConsoleErrors (botbuilder printing while it validates a token)', () => {
  afterEach(() => sinon.restore());

  it('drops console.error calls made inside the validation, and only those', async () => {
    const printed = sinon.stub(console, 'error');
    let release: () => void = () => undefined;
    const validation = withoutConsoleErrors(async () => {
      console.error('inside, before waiting');
      await new Promise<void>((resolve) => (release = resolve));
      console.error('inside, after waiting');
      return 'validated';
    });
    // Another request's code, running while the validation waits.
    console.error('outside, meanwhile');
    release();
    assert.equal(await validation, 'validated');
    console.error('outside, afterwards');
    assert.deepEqual(
      printed.args.map((args) => String(args[0])),
      ['outside, meanwhile', 'outside, afterwards'],
    );
    assert.equal(console.error, printed, 'the original console.error is back once no validation runs');
  });

  it('passes the failure of the validation on, and puts console.error back', async () => {
    const printed = sinon.stub(console, 'error');
    const failing = (message: string) =>
      withoutConsoleErrors(async () => {
        console.error(`stack trace of ${message}`);
        throw new Error(message);
      });
    await Promise.all([
      assert.rejects(failing('expired'), /expired/),
      assert.rejects(failing('invalid signature'), /invalid signature/),
    ]);
    assert.equal(printed.callCount, 0);
    assert.equal(console.error, printed);
  });
});
