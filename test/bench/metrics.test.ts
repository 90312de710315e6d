import { strict as assert } from 'node:assert';
import {
  conversationFigures,
  conversationMetrics,
  finalDelay,
  finalTextMatches,
  firstTextDelayAboveBound,
  informativeLatency,
  percentile,
  protocolFindings,
  rateFindings,
  ratio,
  rssPerStream,
  summarize,
  type ConversationObservation,
  type SendKind,
  type SendRecord,
} from '../../bench';

function send(at: number, kind: SendKind, extra: Partial<SendRecord> = {}): SendRecord {
  return { conversationId: 'c-1', at, kind, textLength: 10, extendsPrevious: true, status: 201, ...extra };
}

/** A well-behaved stream: POST at 0, informative at 40, text at 1300 and 2400, final at 3400. */
function observation(overrides: Partial<ConversationObservation> = {}): ConversationObservation {
  return {
    conversationId: 'c-1',
    postSentAt: 0,
    expectedText: 'The answer [1].',
    modelTiming: { requests: 1, firstContentAt: 520, lastContentAt: 3000 },
    sends: [
      send(40, 'informative', { sequence: 1 }),
      send(1300, 'streaming', { sequence: 2 }),
      send(2400, 'streaming', { sequence: 3 }),
      send(3400, 'final'),
    ],
    finalText: 'The answer [1].',
    ...overrides,
  };
}

describe('bench metrics', () => {
  describe('percentile (nearest rank)', () => {
    it('returns an observed value: p50 of 1..4 is 2, p99 of 1..200 is the 198th smallest', () => {
      assert.equal(percentile([4, 1, 3, 2], 50), 2);
      const values = Array.from({ length: 200 }, (_, index) => 200 - index);
      assert.equal(percentile(values, 99), 198);
      assert.equal(percentile(values, 100), 200);
    });

    it('gives the only value for one value and undefined for none', () => {
      assert.equal(percentile([7.5], 99), 7.5);
      assert.equal(percentile([], 50), undefined);
    });

    it('does not reorder the caller’s array', () => {
      const values = [3, 1, 2];
      percentile(values, 50);
      assert.deepEqual(values, [3, 1, 2]);
    });
  });

  describe('summarize', () => {
    it('counts only the measured values', () => {
      assert.deepEqual(summarize([5, undefined, 1, 3]), { count: 3, p50: 3, p99: 5, max: 5 });
      assert.deepEqual(summarize([undefined]), { count: 0 });
    });
  });

  describe('informativeLatency', () => {
    it('is the first send’s arrival minus the POST time, whatever kind the first send is', () => {
      assert.equal(informativeLatency(observation({ postSentAt: 10 })), 30);
      assert.equal(informativeLatency(observation({ sends: [send(700, 'final')] })), 700);
      assert.equal(informativeLatency(observation({ sends: [] })), undefined);
    });
  });

  describe('firstTextDelayAboveBound', () => {
    it('measures from one second after the informative update when the first token came earlier', () => {
      // bound = max(520, 40 + 1000) = 1040; the first text arrived at 1300.
      assert.equal(firstTextDelayAboveBound(observation()), 260);
    });

    it('measures from the first token when it came after the one-second slot', () => {
      const late = observation({ modelTiming: { requests: 1, firstContentAt: 1250, lastContentAt: 3000 } });
      assert.equal(firstTextDelayAboveBound(late), 50);
    });

    it('counts the one second from the last update before the text (the tool round’s informative)', () => {
      const toolRound = observation({
        sends: [
          send(40, 'informative', { sequence: 1 }),
          send(1100, 'informative', { sequence: 2 }),
          send(2150, 'streaming', { sequence: 3 }),
        ],
        modelTiming: { requests: 2, firstContentAt: 1700, lastContentAt: 4000 },
      });
      assert.equal(firstTextDelayAboveBound(toolRound), 50);
    });

    it('is negative when text beat the bound (a rule was broken), and undefined without text', () => {
      const early = observation({ sends: [send(40, 'informative'), send(600, 'streaming')] });
      assert.equal(firstTextDelayAboveBound(early), 600 - 1040);
      assert.equal(firstTextDelayAboveBound(observation({ sends: [send(40, 'informative')] })), undefined);
      assert.equal(firstTextDelayAboveBound(observation({ modelTiming: { requests: 1 } })), undefined);
    });
  });

  describe('finalDelay', () => {
    it('is the first final message’s arrival minus the model’s last token', () => {
      assert.equal(finalDelay(observation()), 400);
    });

    it('also takes a plain message (no streaminfo) as the final one', () => {
      assert.equal(finalDelay(observation({ sends: [send(3100, 'message')] })), 100);
    });

    it('prefers the stream’s final message to a plain message that came first', () => {
      assert.equal(finalDelay(observation({ sends: [send(3100, 'message'), send(3500, 'final')] })), 500);
    });

    it('is undefined when no final arrived or the model sent no text', () => {
      assert.equal(finalDelay(observation({ sends: [send(40, 'informative')] })), undefined);
      assert.equal(finalDelay(observation({ modelTiming: undefined })), undefined);
    });
  });

  describe('rateFindings', () => {
    it('reports the smallest gap over all streams and no violations for a compliant load', () => {
      const other = [send(0, 'informative'), send(1050, 'streaming'), send(2050, 'final')];
      assert.deepEqual(rateFindings([observation().sends, other]), {
        smallestGapMs: 1000,
        gapsUnderOneSecond: 0,
        burstsOverSevenPerSecond: 0,
      });
    });

    it('counts every consecutive pair less than 1000 ms apart; exactly 1000 ms is allowed', () => {
      const sends = [send(0, 'informative'), send(999.9, 'streaming'), send(1999.9, 'streaming')];
      const findings = rateFindings([sends]);
      assert.equal(findings.gapsUnderOneSecond, 1);
      assert.equal(findings.smallestGapMs, 999.9);
    });

    it('flags a send that makes eight sends of one conversation fall within one second', () => {
      const seven = Array.from({ length: 7 }, (_, index) => send(index * 100, 'streaming'));
      assert.equal(rateFindings([seven]).burstsOverSevenPerSecond, 0);
      const eight = [...seven, send(999, 'final')];
      assert.equal(rateFindings([eight]).burstsOverSevenPerSecond, 1);
      const spread = [...seven, send(1000, 'final')];
      assert.equal(rateFindings([spread]).burstsOverSevenPerSecond, 0);
    });

    it('applies the one-second gap to stream sends only, and the 7-per-second rule to every send', () => {
      // A plain message (the card on its own) 300 ms after the final is not a send to the stream.
      const withCard = [...observation().sends, send(3700, 'message')];
      assert.deepEqual(rateFindings([withCard]), {
        smallestGapMs: 1000,
        gapsUnderOneSecond: 0,
        burstsOverSevenPerSecond: 0,
      });
      const crowded = [
        ...Array.from({ length: 4 }, (_, index) => send(index * 1000, 'streaming')),
        ...Array.from({ length: 8 }, (_, index) => send(3100 + index * 10, 'message')),
      ];
      assert.equal(rateFindings([crowded]).gapsUnderOneSecond, 0);
      // 3000 and the eight messages at 3100..3170: the last two each make eight sends within a second.
      assert.equal(rateFindings([crowded]).burstsOverSevenPerSecond, 2);
    });

    it('has no smallest gap when no stream sent twice', () => {
      assert.deepEqual(rateFindings([[send(5, 'final')], []]), {
        gapsUnderOneSecond: 0,
        burstsOverSevenPerSecond: 0,
      });
    });
  });

  describe('finalTextMatches', () => {
    it('requires the exact text, whitespace and accents included', () => {
      assert.equal(finalTextMatches('Café au lait.\n\nDone.', 'Café au lait.\n\nDone.'), true);
      assert.equal(finalTextMatches('Café au lait.\nDone.', 'Café au lait.\n\nDone.'), false);
      assert.equal(finalTextMatches('The answer', 'The answer.'), false);
      assert.equal(finalTextMatches(undefined, ''), false);
    });

    it('accepts a [docN] marker of the model in the [N] form both streamers turn it into', () => {
      assert.equal(finalTextMatches('VPN is required [2].', 'VPN is required [doc2].'), true);
      assert.equal(finalTextMatches('VPN is required [doc2].', 'VPN is required [doc2].'), false);
    });
  });

  describe('protocolFindings', () => {
    it('finds nothing wrong with a well-formed stream', () => {
      assert.deepEqual(protocolFindings(observation().sends), {
        sequenceErrors: 0,
        nonPrefixUpdates: 0,
        sendsAfterFinal: 0,
        extraMessages: 0,
      });
    });

    it('counts sequence gaps, non-prefix updates, stream sends after the final and extra messages', () => {
      const sends = [
        send(0, 'informative', { sequence: 1 }),
        send(1000, 'streaming', { sequence: 3 }),
        send(2000, 'streaming', { sequence: 4, extendsPrevious: false }),
        send(3000, 'final'),
        send(4000, 'streaming', { sequence: 5 }),
        send(5000, 'message'),
        send(6000, 'final'),
      ];
      assert.deepEqual(protocolFindings(sends), {
        sequenceErrors: 1,
        nonPrefixUpdates: 1,
        sendsAfterFinal: 2,
        extraMessages: 2,
      });
    });

    it('does not count a plain message after the final (the card on its own) as a send to the stream', () => {
      const sends = [...observation().sends, send(4000, 'message')];
      assert.deepEqual(protocolFindings(sends), {
        sequenceErrors: 0,
        nonPrefixUpdates: 0,
        sendsAfterFinal: 0,
        extraMessages: 1,
      });
    });
  });

  describe('conversationMetrics', () => {
    it('combines the conversations: fidelity share, completed count and rejected sends', () => {
      const metrics = conversationMetrics([
        observation(),
        observation({ conversationId: 'c-2', finalText: 'The answer.' }),
        observation({
          conversationId: 'c-3',
          sends: [send(50, 'informative', { status: 400, sequence: 1 })],
        }),
        observation({ conversationId: 'c-4' }),
      ]);
      assert.equal(metrics.conversations, 4);
      assert.equal(metrics.completed, 3);
      assert.equal(metrics.matchingFinals, 3);
      assert.equal(metrics.fidelityPercent, 75);
      assert.equal(metrics.rejectedSends, 1);
      assert.deepEqual(metrics.informativeLatencyMs, { count: 4, p50: 40, p99: 50, max: 50 });
      assert.deepEqual(metrics.finalDelayMs, { count: 3, p50: 400, p99: 400, max: 400 });
    });

    it('reports 0 % fidelity, not NaN, for no conversations', () => {
      assert.equal(conversationMetrics([]).fidelityPercent, 0);
    });
  });

  describe('conversationFigures', () => {
    it('lists one conversation’s figures, leaving out the ones it lacks', () => {
      assert.deepEqual(conversationFigures(observation()), {
        conversationId: 'c-1',
        informativeLatencyMs: 40,
        firstTextDelayAboveBoundMs: 260,
        finalDelayMs: 400,
        smallestGapMs: 1000,
        sends: 4,
        modelRequests: 1,
        finalTextMatches: true,
      });
      assert.deepEqual(conversationFigures(observation({ sends: [], modelTiming: undefined })), {
        conversationId: 'c-1',
        sends: 0,
        modelRequests: 0,
        finalTextMatches: true,
      });
    });
  });

  describe('rssPerStream and ratio', () => {
    it('divides the RSS growth by the streams', () => {
      assert.equal(rssPerStream(100 * 1024 * 1024, 150 * 1024 * 1024, 200), 262144);
      assert.equal(rssPerStream(100, 200, 0), 0);
    });

    it('divides library by teams-streamer, and has no ratio without both or with a zero divisor', () => {
      assert.equal(ratio(1500, 1000), 1.5);
      assert.equal(ratio(3, 0), undefined);
      assert.equal(ratio(undefined, 2), undefined);
      assert.equal(ratio(0, 2), 0);
    });
  });
});
