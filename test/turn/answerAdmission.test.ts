import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { AnswerAdmission } from '../../src/turn/answerAdmission';
import { systemClock } from '../../src/shared/time';

const dana = { tenantId: 't-1', conversationId: 'a:dana', userId: 'dana' };
const fox = { tenantId: 't-1', conversationId: 'a:fox', userId: 'fox' };

describe('admission control of answers', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 0, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.restore());

  it('takes on at most maxAnswersInProgress answers, and one more once one has ended', () => {
    const admission = new AnswerAdmission({
      maxAnswersInProgress: 2,
      perUser: undefined,
      perConversation: undefined,
    });
    const first = admission.admit(dana);
    const second = admission.admit(fox);
    assert.ok(first.admitted && second.admitted);
    assert.deepEqual(admission.admit(dana), { admitted: false, reason: 'busy' });
    assert.equal(admission.answersInProgress, 2);
    first.release();
    first.release();
    assert.equal(admission.answersInProgress, 1, 'releasing twice counts once');
    assert.ok(admission.admit(dana).admitted);
  });

  it('limits one user’s messages with a token bucket, and says how long to wait', () => {
    const admission = new AnswerAdmission(
      {
        maxAnswersInProgress: 100,
        perUser: { tokensPerInterval: 6, intervalMs: 60_000, burst: 2 },
        perConversation: undefined,
      },
      systemClock,
    );
    for (let index = 0; index < 2; index += 1) {
      const decision = admission.admit(dana);
      assert.ok(decision.admitted);
      decision.release();
    }
    assert.deepEqual(admission.admit(dana), { admitted: false, reason: 'user-rate', retryAfterMs: 10_000 });
    assert.ok(admission.admit(fox).admitted, 'another user is not limited by Dana’s messages');
    clock.tick(10_000);
    assert.ok(admission.admit(dana).admitted, 'after the wait it was told, Dana may ask again');
  });

  it('limits one conversation’s messages across its users', () => {
    const admission = new AnswerAdmission({
      maxAnswersInProgress: 100,
      perUser: undefined,
      perConversation: { tokensPerInterval: 1, intervalMs: 60_000, burst: 1 },
    });
    const groupChat = '19:group';
    assert.ok(admission.admit({ ...dana, conversationId: groupChat }).admitted);
    const refused = admission.admit({ ...fox, conversationId: groupChat });
    assert.equal(refused.admitted, false);
    assert.equal(!refused.admitted && refused.reason, 'conversation-rate');
  });

  it('spends none of the sender’s allowance on a busy refusal', () => {
    const admission = new AnswerAdmission({
      maxAnswersInProgress: 1,
      perUser: { tokensPerInterval: 1, intervalMs: 60_000, burst: 1 },
      perConversation: undefined,
    });
    const running = admission.admit(fox);
    assert.ok(running.admitted);
    assert.deepEqual(admission.admit(dana), { admitted: false, reason: 'busy' });
    running.release();
    assert.ok(
      admission.admit(dana).admitted,
      'Dana’s one message a minute was not used up by the busy reply',
    );
  });
});
