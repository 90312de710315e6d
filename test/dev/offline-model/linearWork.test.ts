import { strict as assert } from 'node:assert';
import { composeReply, type ChatRequest } from '../../../dev/offline-model';
import { planCompletion } from '../../../dev/offline-model/completionPlan';
import { cleanPhrase, maskQuotes } from '../../../dev/offline-model/requestText';
import { withWorkMeter } from '../../../dev/offline-model/workMeter';
import { afterTool, toolsNamed, userTurn } from './helpers';

/**
 * The offline model's parsing and rule matching must cost work proportional to the message: a long message
 * of one word repeated, or of punctuation, once cost hundreds of milliseconds per request because patterns
 * searched the rest of the message again from every starting position. These tests bound the WORK (the
 * characters the scanners and patterns visit, counted by the injected meter), not the time: doubling an
 * adversarial message may at most about double the work.
 */

const NOW = new Date(2026, 0, 15, 12);
const EVERY_TOOL = toolsNamed(
  'search_knowledge',
  'create_work_item',
  'find_work_items',
  'update_work_item',
  'close_work_items',
);
/** Tens of KB: large enough that quadratic work would be 2000 times the linear amount. */
const LENGTH = 20_000;
const MAX_RATIO = 2.2;

/** `unit` repeated up to `length` characters. */
function repeat(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** The work one request costs the offline model: reading it, composing the reply and planning its tokens. */
function workOf(request: ChatRequest): number {
  let work = 0;
  withWorkMeter({ add: (units) => (work += units) }, () => {
    const reply = composeReply(request, NOW);
    if (reply.kind !== 'httpError') planCompletion(request, reply, 1, 0);
  });
  return work;
}

function workOfText(run: () => unknown): number {
  let work = 0;
  withWorkMeter({ add: (units) => (work += units) }, run);
  return work;
}

/** Asserts that the work for the input of length 2n is at most MAX_RATIO times that of length n. */
function assertLinear(name: string, work: (length: number) => number): void {
  const single = work(LENGTH);
  const double = work(2 * LENGTH);
  assert.ok(single >= LENGTH, `${name}: the meter saw ${single} units for ${LENGTH} characters`);
  const ratio = double / single;
  assert.ok(
    ratio <= MAX_RATIO,
    `${name}: work ${single} for ${LENGTH} characters, ${double} for ${2 * LENGTH} (ratio ${ratio.toFixed(2)})`,
  );
}

/** User messages that once sent a pattern back over the rest of the message from every position. */
const USER_MESSAGES: Record<string, (length: number) => string> = {
  'one word repeated ("my my my ...")': (length) => repeat('my ', length),
  'find words in sentences without a noun ("my. my. ...")': (length) => repeat('my. ', length) + ' tasks',
  'one character repeated': (length) => repeat('a', length),
  'a long run of spaces': (length) => `x${' '.repeat(length)}y`,
  'a long run of punctuation': (length) => repeat('.,;:!', length),
  '"a a a ..."': (length) => repeat('a ', length),
  'question marks': (length) => repeat('?', length),
  'one long word': (length) => `find ${repeat('x', length)}`,
  'nested brackets': (length) => repeat('(', length / 2) + repeat(')', length / 2),
  'many newlines': (length) => repeat('a\n', length),
  'a title followed by a run of commas': (length) => `create a task called x${repeat(',', length)}y`,
  'a title ending in many "please"': (length) => `create a task called x${repeat(' please', length)} y`,
  'unclosed curly quotes': (length) => `create a task ${repeat('“a ', length)}`,
  'unclosed straight quotes': (length) => `create a task ${repeat('"a \'b ', length)}`,
  'a greeting with a long run of punctuation': (length) => `hi${repeat('!', length)}x`,
  'a rename followed by a run of commas': (length) => `rename WI-1 to x${repeat(', ', length)}y`,
  'a find query followed by dots': (length) => `show tasks about x${repeat(' .', length)}y`,
  'many assignee markers': (length) => `create a task ${repeat('for The assign to the ', length)}`,
  'a name with trailing dots': (length) => `create a task assigned to a${repeat('.', length)}b`,
};

/** Knowledge passages (the text of a search result) that once did the same in the Markdown reading. */
const PASSAGES: Record<string, (length: number) => string> = {
  'a run of blank lines': (length) => `a${'\n'.repeat(length)}b`,
  'a run of carriage returns': (length) => `a.${'\r'.repeat(length)}b`,
  'unclosed link brackets': (length) => repeat('[', length / 2) + repeat('](', length / 2),
  'unclosed image brackets': (length) => repeat('![', length),
  'an odd number of code fences': (length) => `${repeat('```', length - 1)}x`,
  'a line of spaces before text (a separator line that is not one)': (length) =>
    `\n${' '.repeat(length)}---x`,
  'list markers on every line': (length) => repeat('- a\n', length),
};

describe('offline model: parsing work grows linearly with the message', () => {
  for (const [name, message] of Object.entries(USER_MESSAGES)) {
    it(`a user message of ${name}`, () => {
      assertLinear(name, (length) => workOf(userTurn(message(length), EVERY_TOOL)));
    });
  }

  for (const [name, passage] of Object.entries(PASSAGES)) {
    it(`a search result passage of ${name}`, () => {
      assertLinear(name, (length) =>
        workOf(
          afterTool('how do I connect to the vpn', 'search_knowledge', {
            results: [{ ref: 1, title: 'VPN', heading: 'Connect', source: 'vpn.md', text: passage(length) }],
          }),
        ),
      );
    });
  }

  it('a long question answered from a work item list (the question is read again)', () => {
    assertLinear('work item list', (length) =>
      workOf(
        afterTool(repeat('my ', length), 'find_work_items', { workItems: [{ id: 'WI-1', title: 'x' }] }),
      ),
    );
  });

  it('the quote masking and phrase cleaning on their own', () => {
    assertLinear('maskQuotes', (length) => workOfText(() => maskQuotes(repeat('“a \'b "c ', length))));
    assertLinear('cleanPhrase', (length) => workOfText(() => cleanPhrase(`x${repeat(', please', length)}`)));
  });

  it('counts a modest amount of work for a normal message', () => {
    const work = workOf(userTurn('create a task called Update the VPN guide assigned to Dana', EVERY_TOOL));
    assert.ok(work > 0 && work < 10_000, `work ${work}`);
  });
});
