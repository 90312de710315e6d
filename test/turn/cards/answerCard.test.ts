import { strict as assert } from 'node:assert';
import { buildAnswerCard, type AnswerCardInput, type CardSource } from '../../../src/turn/cards';
import { AC, readCard } from './adaptiveCardReader';

const handbook: CardSource = {
  position: 1,
  title: 'Employee Handbook',
  url: 'https://contoso.example/handbook',
  snippet: 'Employees get 30 days of paid leave per year.',
};
const memo: CardSource = {
  position: 2,
  title: 'Travel memo',
  snippet: 'Book trains for trips under 4 hours.',
};

function input(overrides: Partial<AnswerCardInput> = {}): AnswerCardInput {
  return { locale: 'en-US', sources: [], toolsUsed: [], followUps: [], offlineModel: false, ...overrides };
}

/** Builds the card, checks the SDK reads it without any problem, and returns what it read. */
function build(overrides: Partial<AnswerCardInput> = {}): ReturnType<typeof readCard> {
  const attachment = buildAnswerCard(input(overrides));
  assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
  const read = readCard(attachment.content);
  assert.deepEqual(read.problems, []);
  assert.ok(
    read.texts.every((text) => !text.includes('${')),
    `unexpanded template text: ${read.texts.join(' | ')}`,
  );
  return read;
}

describe('buildAnswerCard', () => {
  it('is an Adaptive Card 1.5 with a heading', () => {
    const { card, texts } = build();
    assert.equal(card.version?.toString(), '1.5');
    assert.equal(texts[0], 'About this answer');
  });

  it('lists a source with a url as a Markdown link, and one without as plain text, each with its snippet', () => {
    const { texts } = build({ sources: [handbook, memo] });
    const sourcesAt = texts.indexOf('Sources');
    assert.deepEqual(texts.slice(sourcesAt, sourcesAt + 5), [
      'Sources',
      '[1] [Employee Handbook](https://contoso.example/handbook)',
      'Employees get 30 days of paid leave per year.',
      '[2] Travel memo',
      'Book trains for trips under 4 hours.',
    ]);
    assert.ok(!texts.includes('No sources were used.'));
  });

  it('shows the snippet small and subtle under its source', () => {
    const { textBlocks } = build({ sources: [handbook] });
    const snippet = textBlocks.find((block) => block.text === handbook.snippet);
    assert.ok(snippet);
    assert.equal(snippet.isSubtle, true);
    assert.equal(snippet.size, AC.TextSize.Small);
  });

  it('says that no sources were used, and lists none, when there are none', () => {
    const { texts, card } = build({ sources: [] });
    assert.ok(texts.includes('No sources were used.'));
    assert.ok(!texts.some((text) => /^\[\d+\]/.test(text)));
    assert.ok(card.getElementById('noSources'));
  });

  it('omits a source snippet that is missing or blank', () => {
    const { texts } = build({
      sources: [
        { position: 1, title: 'Bare' },
        { position: 2, title: 'Blank', snippet: '  \n ' },
      ],
    });
    const sourcesAt = texts.indexOf('Sources');
    assert.deepEqual(texts.slice(sourcesAt + 1, sourcesAt + 3), ['[1] Bare', '[2] Blank']);
  });

  it('cuts a 300-character title to 80 and a 300-character snippet to 160, ending with an ellipsis', () => {
    const long: CardSource = {
      position: 3,
      title: 'T'.repeat(300),
      url: 'https://contoso.example/long',
      snippet: 'S'.repeat(300),
    };
    const { texts } = build({ sources: [long] });
    const line = texts.find((text) => text.startsWith('[3] '))!;
    const title = /^\[3\] \[(.*)\]\(https:\/\/contoso\.example\/long\)$/.exec(line)?.[1];
    assert.ok(title, line);
    assert.equal(title.length, 80);
    assert.ok(title.endsWith('…'));
    const snippet = texts.find((text) => text.startsWith('SSS'))!;
    assert.equal(snippet.length, 160);
    assert.ok(snippet.endsWith('…'));
  });

  it('keeps document text from forming links: brackets are escaped, odd urls are not linked', () => {
    const { texts } = build({
      sources: [
        {
          position: 1,
          title: 'Click [here](https://evil.example)',
          snippet: 'see [x](https://evil.example)',
        },
        { position: 2, title: 'Script', url: 'javascript:alert(1)' },
        { position: 3, title: 'Spec (draft)', url: 'https://contoso.example/spec (draft).pdf' },
      ],
    });
    assert.ok(texts.includes('[1] Click \\[here\\](https://evil.example)'));
    assert.ok(texts.includes('see \\[x\\](https://evil.example)'));
    assert.ok(texts.includes('[2] Script'));
    assert.ok(texts.includes('[3] [Spec (draft)](https://contoso.example/spec%20%28draft%29.pdf)'));
  });

  it('lists the sources in position order', () => {
    const { texts } = build({ sources: [memo, handbook] });
    const lines = texts.filter((text) => /^\[\d+\]/.test(text));
    assert.deepEqual(
      lines.map((line) => line.slice(0, 3)),
      ['[1]', '[2]'],
    );
  });

  it('names the tools used with localized labels in German, falling back to the raw name', () => {
    const { texts } = build({
      locale: 'de-DE',
      toolsUsed: ['search_knowledge', 'create_work_item', 'send_report'],
    });
    assert.ok(texts.includes('Verwendete Tools'));
    assert.ok(texts.includes('Suche in der Wissensdatenbank, Arbeitselement erstellen, send_report'));
    assert.equal(texts[0], 'Zu dieser Antwort');
    assert.ok(texts.includes('Es wurden keine Quellen verwendet.'));
  });

  it('omits the tools section when no tool ran', () => {
    const { texts, card } = build({ toolsUsed: [] });
    assert.ok(!texts.includes('Tools used'));
    assert.equal(card.getElementById('tools'), undefined);
  });

  it('shows the offline notice only when the offline model answered', () => {
    const offline = build({ offlineModel: true });
    assert.ok(
      offline.texts.includes('Answered by the built-in offline model (no language model is configured).'),
    );
    const online = build({ offlineModel: false });
    assert.ok(!online.texts.some((text) => text.includes('offline')));
    assert.equal(online.card.getElementById('offlineNotice'), undefined);
  });

  it('offers each follow-up as a button that sends the question back as the user (imBack)', () => {
    const followUps = ['Tell me more about Employee Handbook', 'Which work items are still open?'];
    const { actions, texts } = build({ followUps });
    assert.ok(texts.includes('Ask next'));
    assert.deepEqual(actions, [
      {
        type: 'Action.Submit',
        title: followUps[0],
        data: { msteams: { type: 'imBack', value: followUps[0] } },
      },
      {
        type: 'Action.Submit',
        title: followUps[1],
        data: { msteams: { type: 'imBack', value: followUps[1] } },
      },
    ]);
  });

  it('shows at most 60 characters on a button but sends the whole question', () => {
    const question = `What does the handbook say about ${'very '.repeat(20)}long questions?`;
    const { actions } = build({ followUps: [question] });
    const [action] = actions;
    assert.ok(action);
    assert.ok(action.title!.length <= 60, action.title);
    assert.ok(action.title!.endsWith('…'));
    assert.deepEqual(action.data, { msteams: { type: 'imBack', value: question } });
  });

  it('keeps at most 3 follow-ups, skipping blank and repeated ones', () => {
    const { actions } = build({ followUps: ['one?', ' ', 'one?', 'two?', 'three?', 'four?'] });
    assert.deepEqual(
      actions.map((action) => action.title),
      ['one?', 'two?', 'three?'],
    );
  });

  it('has no follow-up heading and no buttons without follow-ups', () => {
    const { actions, texts } = build({ followUps: [] });
    assert.deepEqual(actions, []);
    assert.ok(!texts.includes('Ask next'));
  });

  it('keeps a typical card small', () => {
    const attachment = buildAnswerCard(
      input({
        sources: [handbook, memo, { ...handbook, position: 3 }],
        toolsUsed: ['search_knowledge'],
        followUps: ['Tell me more about Employee Handbook', 'Which work items are still open?'],
      }),
    );
    const size = Buffer.byteLength(JSON.stringify(attachment));
    assert.ok(size < 3_000, `card is ${size} bytes`);
  });

  it('stays far under the Teams message size limit with 25 long sources: all listed, the later ones compact', () => {
    const sources = Array.from({ length: 25 }, (_, i) => ({
      position: i + 1,
      title: 'Title '.repeat(50),
      url: `https://contoso.example/${'path/'.repeat(90)}${i}`,
      snippet: 'Snippet '.repeat(50),
    }));
    const attachment = buildAnswerCard(
      input({
        sources,
        toolsUsed: ['search_knowledge', 'find_work_items'],
        followUps: ['q'.repeat(500), 'r'.repeat(500), 's'.repeat(500)],
        offlineModel: true,
      }),
    );
    const size = Buffer.byteLength(JSON.stringify(attachment));
    assert.ok(size < 14_000, `card is ${size} bytes`);

    const { texts, problems } = readCard(attachment.content);
    assert.deepEqual(problems, []);
    const lines = texts.filter((text) => /^\[\d+\]/.test(text));
    assert.equal(lines.length, 20, 'the first 20 sources are listed');
    assert.match(lines[0], /^\[1\] \[Title .*…\]\(https:\/\/contoso\.example\/path\//);
    assert.match(lines[19], /^\[20\] Title .*…$/);
    assert.ok(
      texts.filter((text) => text.startsWith('Snippet')).length < 20,
      'later sources have no snippet',
    );
  });

  it('gives the same card for the same input (the template is not changed by building)', () => {
    const first = JSON.stringify(buildAnswerCard(input({ sources: [handbook], followUps: ['q?'] })));
    buildAnswerCard(input({ sources: [memo], toolsUsed: ['x'], offlineModel: true }));
    const again = JSON.stringify(buildAnswerCard(input({ sources: [handbook], followUps: ['q?'] })));
    assert.equal(again, first);
  });
});
