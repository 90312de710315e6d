import { strict as assert } from 'node:assert';
import {
  evaluate,
  recallAtK,
  reciprocalRank,
  type LabelledQuestion,
  type PassageLabel,
} from '../../../dev/evaluation';

const travel: PassageLabel = { source: 'expense-policy.md', heading: 'Travel' };
const meals: PassageLabel = { source: 'expense-policy.md', heading: 'Meals and entertainment' };
const intro: PassageLabel = { source: 'expense-policy.md', heading: '' };
const vpn: PassageLabel = { source: 'remote-work-and-vpn.md', heading: 'Connecting to the VPN' };
const troubleshooting: PassageLabel = { source: 'remote-work-and-vpn.md', heading: 'Troubleshooting' };
/** Same heading as `travel`, another file: must not count as travel. */
const otherTravel: PassageLabel = { source: 'time-off-policy.md', heading: 'Travel' };

describe('retrieval metrics', () => {
  describe('recallAtK', () => {
    it('is 1 when the only relevant passage is in the top k', () => {
      assert.equal(recallAtK([meals, travel], [travel], 5), 1);
    });

    it('is 0 when no relevant passage is found', () => {
      assert.equal(recallAtK([meals, intro, otherTravel], [travel], 5), 0);
      assert.equal(recallAtK([], [travel], 5), 0);
    });

    it('is the share of several relevant passages found', () => {
      assert.equal(recallAtK([vpn, meals], [vpn, troubleshooting], 5), 0.5);
      assert.equal(recallAtK([troubleshooting, meals, vpn], [vpn, troubleshooting], 5), 1);
    });

    it('ignores results beyond k', () => {
      assert.equal(recallAtK([meals, intro, travel], [travel], 2), 0);
      assert.equal(recallAtK([meals, intro, travel], [travel], 3), 1);
    });

    it('counts a passage returned twice only once (a long section split in pieces)', () => {
      assert.equal(recallAtK([vpn, vpn, meals], [vpn, troubleshooting], 5), 0.5);
    });

    it('counts a label listed twice only once', () => {
      assert.equal(recallAtK([vpn], [vpn, vpn], 5), 1);
    });

    it('tells the intro passage (heading "") apart from the sections', () => {
      assert.equal(recallAtK([travel, meals], [intro], 5), 0);
      assert.equal(recallAtK([intro], [intro], 5), 1);
    });

    it('rejects an empty label list and a k that is not a positive integer', () => {
      assert.throws(() => recallAtK([travel], [], 5), RangeError);
      assert.throws(() => recallAtK([travel], [travel], 0), RangeError);
      assert.throws(() => recallAtK([travel], [travel], 2.5), RangeError);
    });
  });

  describe('reciprocalRank', () => {
    it('is 1 over the rank of the first relevant passage', () => {
      assert.equal(reciprocalRank([travel, meals], [travel]), 1);
      assert.equal(reciprocalRank([meals, intro, travel], [travel]), 1 / 3);
    });

    it('uses the first of several relevant passages', () => {
      assert.equal(reciprocalRank([meals, troubleshooting, vpn], [vpn, troubleshooting]), 1 / 2);
    });

    it('is 0 when no relevant passage is returned', () => {
      assert.equal(reciprocalRank([meals, otherTravel], [travel]), 0);
      assert.equal(reciprocalRank([], [travel]), 0);
    });

    it('is not fooled by duplicates of an irrelevant passage ahead of the relevant one', () => {
      assert.equal(reciprocalRank([meals, meals, travel], [travel]), 1 / 3);
    });

    it('rejects an empty label list', () => {
      assert.throws(() => reciprocalRank([travel], []), RangeError);
    });
  });

  describe('evaluate', () => {
    const set: LabelledQuestion[] = [
      { question: 'hotel limit', relevant: [travel] },
      { question: 'vpn down', relevant: [vpn, troubleshooting] },
      { question: 'nothing useful', relevant: [meals] },
    ];
    const answers: Record<string, PassageLabel[]> = {
      'hotel limit': [travel, meals],
      'vpn down': [intro, vpn, vpn],
      'nothing useful': [],
    };

    it('averages recall@k and reciprocal rank over the questions and lists the misses', async () => {
      const report = await evaluate(set, (query) => answers[query]);
      assert.equal(report.questions, 3);
      assert.equal(report.k, 5);
      assert.equal(report.recallAt5, (1 + 0.5 + 0) / 3);
      assert.equal(report.mrr, (1 + 1 / 2 + 0) / 3);
      assert.deepEqual(report.misses, [
        { question: 'vpn down', expected: [vpn, troubleshooting], got: [intro, vpn, vpn] },
        { question: 'nothing useful', expected: [meals], got: [] },
      ]);
    });

    it('asks the search for k results and ignores any beyond k', async () => {
      const limits: number[] = [];
      const report = await evaluate(
        [{ question: 'hotel limit', relevant: [travel] }],
        async (_query, limit) => {
          limits.push(limit);
          return [meals, intro, travel];
        },
        2,
      );
      assert.deepEqual(limits, [2]);
      assert.equal(report.recallAt5, 0);
      assert.equal(report.mrr, 0);
      assert.deepEqual(report.misses[0].got, [meals, intro]);
    });

    it('keeps only source and heading of what the search returned', async () => {
      const hit = { ...vpn, id: 'remote-work-and-vpn#4', text: 'long text', score: 3.2 };
      const report = await evaluate([{ question: 'q', relevant: [troubleshooting] }], () => [hit]);
      assert.deepEqual(report.misses[0].got, [vpn]);
    });

    it('rejects an empty set and passes search errors on', async () => {
      await assert.rejects(
        evaluate([], () => []),
        RangeError,
      );
      await assert.rejects(
        evaluate(set, () => {
          throw new Error('index gone');
        }),
        /index gone/,
      );
    });
  });
});
