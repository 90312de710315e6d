import { strict as assert } from 'node:assert';
import {
  conversationIdOf,
  DEFAULT_PARAMETERS,
  expectedAnswerOf,
  observe,
  postFailures,
  type SendRecord,
} from '../../bench';

const parameters = { ...DEFAULT_PARAMETERS, conversations: 2, resultsDir: '/r' };

function send(conversation: number, at: number): SendRecord {
  return {
    conversationId: conversationIdOf(conversation),
    at,
    kind: 'streaming',
    textLength: 1,
    extendsPrevious: true,
    status: 202,
  };
}

describe('bench pass observations', () => {
  it('groups the sends per measured conversation in arrival order and joins timings and answers', () => {
    const observations = observe(
      {
        role: 'model',
        modelTimings: [[1, { requests: 2, firstContentAt: 10, lastContentAt: 20 }]],
        modelStats: { open: 0, aborted: 0, completed: 3 },
        connections: 1,
        eventLoopDelayP99Ms: 0,
        eventLoopDelayMaxMs: 0,
      },
      {
        role: 'connector',
        // Out of order across conversations and within one; conversation 2 is a warm-up one.
        sends: [send(1, 300), send(0, 200), send(1, 100), send(2, 50)],
        finalTexts: [[conversationIdOf(0), 'done']],
        connections: 1,
        eventLoopDelayP99Ms: 0,
        eventLoopDelayMaxMs: 0,
      },
      [5, 6],
      parameters,
    );
    assert.equal(observations.length, 2);
    assert.deepEqual(
      observations.map((observation) => observation.sends.map((s) => s.at)),
      [[200], [100, 300]],
    );
    assert.equal(observations[0]?.finalText, 'done');
    assert.equal(observations[1]?.finalText, undefined);
    assert.equal(observations[0]?.modelTiming, undefined);
    assert.deepEqual(observations[1]?.modelTiming, { requests: 2, firstContentAt: 10, lastContentAt: 20 });
    assert.deepEqual(
      observations.map((observation) => observation.postSentAt),
      [5, 6],
    );
    assert.equal(observations[1]?.expectedText, expectedAnswerOf(1, parameters));
  });

  it('counts POSTs with an error status or no response as failed, and all of them when they never settled', () => {
    const failures = postFailures(
      [{ status: 200 }, { status: 500 }, { error: 'reset' }, { status: 202 }],
      4,
      15000,
    );
    assert.equal(failures.count, 2);
    assert.deepEqual(failures.examples, [
      `${conversationIdOf(1)}: HTTP 500`,
      `${conversationIdOf(2)}: reset`,
    ]);
    assert.equal(postFailures(undefined, 4, 15000).count, 4);
  });
});
