import { strict as assert } from 'node:assert';
import {
  answerText,
  conversationIdOf,
  createAnswerScript,
  capacityStepConversations,
  capacityStepParameters,
  DEFAULT_PARAMETERS,
  expectedAnswerOf,
  finalsDeadlineMs,
  findConversationIndex,
  kindOf,
  parseParameters,
  questionOf,
  scanForContent,
  usesTool,
} from '../../bench';
import { ConfigError } from '../../src/shared/errors';
import { tokenize, type ChatRequest } from '../../dev/offline-model';

describe('bench inputs', () => {
  describe('parseParameters', () => {
    it('uses the issue’s defaults', () => {
      const parameters = parseParameters([], {}, '/results');
      assert.deepEqual(parameters, { ...DEFAULT_PARAMETERS, resultsDir: '/results' });
      assert.equal(parameters.conversations, 200);
      assert.deepEqual(parameters.implementations, ['teams-streamer', 'library']);
    });

    it('reads flags in both spellings, and a flag wins over its environment variable', () => {
      const parameters = parseParameters(
        ['--conversations', '500', '--tool-share=0.5', '--implementations', 'library', '--ramp-ms', '1000'],
        { BENCH_CONVERSATIONS: '50', BENCH_TTFT_MS: '250' },
        '/results',
      );
      assert.equal(parameters.conversations, 500);
      assert.equal(parameters.toolShare, 0.5);
      assert.equal(parameters.timeToFirstTokenMs, 250);
      assert.deepEqual(parameters.implementations, ['library']);
      assert.equal(parameters.rampMs, 1000);
    });

    it('waits for the answers four times their own length plus 20 s, at least 30 s, plus the ramp', () => {
      const defaults = parseParameters([], {}, '/r');
      assert.equal(finalsDeadlineMs(defaults), 36_000);
      assert.equal(finalsDeadlineMs({ ...defaults, answerTokens: 5, tokensPerSecond: 1000 }), 30_000);
      assert.equal(finalsDeadlineMs({ ...defaults, rampMs: 2000 }), 38_000);
      assert.equal(finalsDeadlineMs({ ...defaults, answerTokens: 900, tokensPerSecond: 1 }), 240_000);
    });

    it('rejects unknown flags, missing values and out-of-range numbers, naming the setting', () => {
      const fails = (argv: string[], env: NodeJS.ProcessEnv, setting: string): void => {
        assert.throws(
          () => parseParameters(argv, env, '/r'),
          (error: unknown) => error instanceof ConfigError && error.setting === setting,
        );
      };
      fails(['--conversation', '5'], {}, '--conversation');
      fails(['--conversations'], {}, '--conversations');
      fails(['--conversations', '--ttft-ms', '5'], {}, '--conversations');
      fails(['--conversations', '2.5'], {}, '--conversations');
      fails([], { BENCH_CONVERSATIONS: '0' }, 'BENCH_CONVERSATIONS');
      fails(['--tool-share', '1.5'], {}, '--tool-share');
      fails(['--answer-tokens', '1000'], {}, '--answer-tokens');
      fails(['--implementations', 'teams-streamer,stock'], {}, '--implementations');
    });

    it('adds the cluster pass by name, with --processes workers (a number or auto)', () => {
      const chosen = parseParameters(
        ['--implementations', 'teams-streamer,teams-streamer-cluster', '--processes', '3'],
        {},
        '/r',
      );
      assert.deepEqual(chosen.implementations, ['teams-streamer', 'teams-streamer-cluster']);
      assert.equal(chosen.processes, 3);
      assert.equal(parseParameters([], {}, '/r').processes, 2);
      assert.deepEqual(parseParameters([], {}, '/r').implementations, ['teams-streamer', 'library']);
      assert.equal(parseParameters([], { BENCH_PROCESSES: '1' }, '/r').processes, 1);
      const auto = parseParameters(['--processes=auto'], { BENCH_PROCESSES: '4' }, '/r').processes;
      assert.ok(auto >= 1 && auto <= 16, `auto gave ${auto}`);
      for (const bad of ['0', '17', '1.5', 'two']) {
        assert.throws(
          () => parseParameters(['--processes', bad], {}, '/r'),
          (error: unknown) => error instanceof ConfigError && error.message.includes('--processes'),
          bad,
        );
      }
      assert.throws(
        () => parseParameters(['--implementations', 'cluster'], {}, '/r'),
        (error: unknown) => error instanceof ConfigError && error.message.includes('teams-streamer-cluster'),
      );
    });

    it('turns a rate into rate × duration conversations spread over the duration', () => {
      const parameters = parseParameters(['--capacity', '--capacity-duration-ms', '5000'], {}, '/r');
      assert.equal(parameters.capacity, true);
      const step = capacityStepParameters(parameters, 12.5);
      assert.equal(step.conversations, 63);
      assert.equal(step.rampMs, 5000);
      assert.equal(capacityStepConversations(0.1, 1000), 1);
    });

    it('reads the switches and checks the capacity bounds', () => {
      assert.equal(parseParameters([], {}, '/r').floor, true);
      assert.equal(parseParameters(['--no-floor'], {}, '/r').floor, false);
      assert.equal(parseParameters([], { BENCH_FLOOR: '0', BENCH_CAPACITY: 'yes' }, '/r').floor, false);
      assert.equal(parseParameters([], { BENCH_CAPACITY: 'yes' }, '/r').capacity, true);
      const fails = (argv: string[], env: NodeJS.ProcessEnv, setting: string): void => {
        assert.throws(
          () => parseParameters(argv, env, '/r'),
          (error: unknown) => error instanceof ConfigError && error.setting === setting,
        );
      };
      fails(['--capacity=1'], {}, '--capacity');
      fails([], { BENCH_CAPACITY: 'maybe' }, 'BENCH_CAPACITY');
      fails(['--capacity-start-rate', '300'], {}, '--capacity-start-rate');
      fails(['--capacity-max-rate', '1000', '--capacity-duration-ms', '10000'], {}, '--capacity-max-rate');
    });
  });

  describe('scripted answers', () => {
    it('have exactly the configured number of the model’s tokens, with and without a citation', () => {
      for (const tokens of [5, 6, 7, 20, 120, 900]) {
        for (const index of [0, 1, 17, 499]) {
          for (const citation of [false, true]) {
            const text = answerText(index, tokens, citation);
            assert.equal(tokenize(text).length, tokens, `${tokens} tokens, conversation ${index}`);
            assert.equal(text.endsWith('.'), true);
            assert.equal(text, text.trim());
          }
        }
      }
    });

    it('cite the first search result in the first sentence when asked to', () => {
      const text = answerText(3, 120, true);
      assert.match(text, /^[^.]* \[1\]\./);
      assert.doesNotMatch(answerText(3, 120, false), /\[/);
    });

    it('differ between conversations and repeat for the same one', () => {
      assert.equal(answerText(1, 120, false), answerText(1, 120, false));
      assert.notEqual(answerText(1, 120, false), answerText(2, 120, false));
    });

    it('give floor(N × share) conversations a tool round, spread out', () => {
      const chosen = Array.from({ length: 200 }, (_, index) => index).filter((index) => usesTool(index, 0.3));
      assert.equal(chosen.length, 60);
      assert.equal(chosen.filter((index) => index < 100).length, 30);
      assert.equal(usesTool(0, 0), false);
      assert.equal(usesTool(0, 1), true);
    });

    it('find the conversation number in its id, its question and a raw body', () => {
      assert.equal(findConversationIndex(conversationIdOf(42)), 42);
      assert.equal(findConversationIndex(JSON.stringify({ text: questionOf(7) })), 7);
      assert.equal(findConversationIndex('no tag here'), undefined);
    });
  });

  describe('createAnswerScript', () => {
    const settings = { answerTokens: 30, toolShare: 0.5 };
    const script = createAnswerScript(settings);
    const request = (index: number, withToolResult: boolean): ChatRequest => ({
      model: 'bench-model',
      stream: true,
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: [{ type: 'text', text: questionOf(index) }] },
        ...(withToolResult
          ? [
              {
                role: 'assistant' as const,
                content: null,
                tool_calls: [
                  {
                    id: 'call_1',
                    type: 'function' as const,
                    function: { name: 'search_knowledge', arguments: '{}' },
                  },
                ],
              },
              { role: 'tool' as const, tool_call_id: 'call_1', content: '{"results":[]}' },
            ]
          : []),
      ],
    });

    it('calls search_knowledge first in a tool conversation, then answers with its text', () => {
      assert.equal(usesTool(1, 0.5), true);
      const first = script(request(1, false));
      assert.equal(first?.kind, 'toolCalls');
      assert.equal(first?.kind === 'toolCalls' ? first.calls[0]?.name : undefined, 'search_knowledge');
      assert.deepEqual(script(request(1, true)), { kind: 'text', text: expectedAnswerOf(1, settings) });
    });

    it('answers at once in a conversation without a tool round, and leaves untagged requests alone', () => {
      assert.equal(usesTool(0, 0.5), false);
      assert.deepEqual(script(request(0, false)), { kind: 'text', text: expectedAnswerOf(0, settings) });
      assert.equal(
        script({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        undefined,
      );
    });
  });

  describe('scanForContent (model timing)', () => {
    const chunk = (delta: object): string =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n:\n`;

    it('sees a text delta, and not the empty role delta, a null content or a tool-call delta', () => {
      assert.equal(scanForContent('', chunk({ content: 'Hello' })).found, true);
      assert.equal(scanForContent('', chunk({ content: '"quoted"' })).found, true);
      assert.equal(scanForContent('', chunk({ role: 'assistant', content: '' })).found, false);
      assert.equal(scanForContent('', chunk({ role: 'assistant', content: null })).found, false);
      assert.equal(
        scanForContent('', chunk({ tool_calls: [{ index: 0, function: { arguments: '{"content":"x"}' } }] }))
          .found,
        false,
      );
    });

    it('finds a marker split across two chunks, at every split point', () => {
      const text = chunk({ content: 'Hi' });
      for (let at = 1; at < text.length; at += 1) {
        const first = scanForContent('', text.slice(0, at));
        const second = scanForContent(first.tail, text.slice(at));
        assert.equal(first.found || second.found, true, `split at ${at}`);
      }
    });
  });

  describe('kindOf (connector)', () => {
    it('classifies sends by activity type and streamType', () => {
      assert.equal(kindOf('typing', 'informative'), 'informative');
      assert.equal(kindOf('typing', 'streaming'), 'streaming');
      assert.equal(kindOf('message', 'final'), 'final');
      assert.equal(kindOf('message', undefined), 'message');
      assert.equal(kindOf('typing', undefined), 'other');
    });
  });
});
