import { strict as assert } from 'node:assert';
import { composeReply, OFFLINE_INTRODUCTION, type ChatRequest } from '../../../dev/offline-model';
import { afterTool, ALL_TOOLS, onlyToolCall, requestWith, textOf, toolsNamed, userTurn } from './helpers';

/** Noon local time on 2026-01-15, so "today" is 2026-01-15 in every time zone the tests run in. */
const NOW = new Date(2026, 0, 15, 12);

function callFor(text: string, request: ChatRequest = userTurn(text)): { name: string; args: unknown } {
  return onlyToolCall(composeReply(request, NOW));
}

describe('offline model: composeReply', () => {
  describe('when the user asks to create a work item', () => {
    it('takes the title after "called", the assignee and an ISO due date', () => {
      assert.deepEqual(
        callFor('Create a work item called Update VPN guide assigned to Dana due 2026-12-01'),
        {
          name: 'create_work_item',
          args: { title: 'Update VPN guide', assignee: 'Dana', dueDate: '2026-12-01' },
        },
      );
    });

    it('prefers quoted text as the title, reads "for <Name>" as the assignee and "due tomorrow" from now', () => {
      assert.deepEqual(callFor('Please add a task "renew SSL certificate" for Priya due tomorrow'), {
        name: 'create_work_item',
        args: { title: 'renew SSL certificate', assignee: 'Priya', dueDate: '2026-01-16' },
      });
    });

    it('takes the title after a colon and the description after "description:"', () => {
      assert.deepEqual(
        callFor('open a ticket: laptop battery drains fast, description: happens since the update'),
        {
          name: 'create_work_item',
          args: { title: 'Laptop battery drains fast', description: 'happens since the update' },
        },
      );
    });

    it('takes the title after "to" and cleans it', () => {
      assert.deepEqual(callFor('could you create a task to review the onboarding checklist, please?'), {
        name: 'create_work_item',
        args: { title: 'Review the onboarding checklist' },
      });
    });

    it('reads "titled", "file a bug" and "due today"', () => {
      assert.deepEqual(callFor('file a bug titled Login page crashes on Safari due today'), {
        name: 'create_work_item',
        args: { title: 'Login page crashes on Safari', dueDate: '2026-01-15' },
      });
    });

    it('keeps "for Dana" out of the title when the title follows it', () => {
      assert.deepEqual(callFor('create a task for Dana to update the wiki'), {
        name: 'create_work_item',
        args: { title: 'Update the wiki', assignee: 'Dana' },
      });
    });

    it('takes "today" from a date stated in the system prompt rather than the clock', () => {
      const request = requestWith(
        [{ role: 'user', content: 'add a task called Pay invoices due today' }],
        toolsNamed('create_work_item'),
      );
      request.messages[0] = { role: 'system', content: 'You are helpful. Today is 2027-03-09.' };
      assert.deepEqual(callFor('', request).args, { title: 'Pay invoices', dueDate: '2027-03-09' });
    });

    it('ignores a due date that does not exist in the calendar', () => {
      assert.deepEqual(callFor('create a task called Plan review due 2026-02-30').args, {
        title: 'Plan review due 2026-02-30',
      });
    });

    it('cuts a long title to at most 120 characters at a word boundary', () => {
      const long = `create a task called ${'very long words '.repeat(20)}end`;
      const { args } = callFor(long) as { args: { title: string } };
      assert.ok(args.title.length <= 120, `title has ${args.title.length} characters`);
      assert.ok(args.title.startsWith('Very long words very'));
    });

    it('asks for a title when the request names none', () => {
      assert.match(
        textOf(composeReply(userTurn('create a task'), NOW)),
        /What should the work item be called\?/,
      );
    });

    it('treats "How do I create a ticket?" as a knowledge question', () => {
      assert.deepEqual(callFor('How do I create a ticket?'), {
        name: 'search_knowledge',
        args: { query: 'How do I create a ticket?' },
      });
    });
  });

  describe('when the user asks to change a work item by id', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['mark WI-3 as resolved', { id: 'WI-3', status: 'resolved' }],
      ['please close wi-3', { id: 'WI-3', status: 'closed' }],
      ['resolve WI-3', { id: 'WI-3', status: 'resolved' }],
      ['reopen WI-3', { id: 'WI-3', status: 'active' }],
      ['set WI-3 to in progress', { id: 'WI-3', status: 'active' }],
      ['assign WI-3 to Dana', { id: 'WI-3', assignee: 'Dana' }],
      ['reassign WI-7 to Sam Lee', { id: 'WI-7', assignee: 'Sam Lee' }],
      ['WI-3 due 2026-12-01', { id: 'WI-3', dueDate: '2026-12-01' }],
      ['change the due date of WI-3 to tomorrow', { id: 'WI-3', dueDate: '2026-01-16' }],
      ['rename WI-3 to "Fix the printer"', { id: 'WI-3', title: 'Fix the printer' }],
      [
        'rename WI-3 to Fix the close button and mark it resolved',
        { id: 'WI-3', title: 'Fix the close button', status: 'resolved' },
      ],
      [
        'update WI-4 description: the VPN drops every hour',
        { id: 'WI-4', description: 'the VPN drops every hour' },
      ],
    ];
    for (const [message, args] of cases) {
      it(`"${message}" → update_work_item ${JSON.stringify(args)}`, () => {
        assert.deepEqual(callFor(message), { name: 'update_work_item', args });
      });
    }

    it('asks what to change when the message names no field', () => {
      assert.match(textOf(composeReply(userTurn('update WI-3'), NOW)), /What should I change on WI-3\?/);
    });
  });

  describe('when the user asks to close several work items at once', () => {
    const withClose = (text: string) => userTurn(text, toolsNamed(...ALL_TOOLS, 'close_work_items'));

    it('calls close_work_items with two or more ids, or with the filter the message names', () => {
      assert.deepEqual(callFor('close WI-3, wi-5 and WI-7', withClose('close WI-3, wi-5 and WI-7')), {
        name: 'close_work_items',
        args: { ids: ['WI-3', 'WI-5', 'WI-7'] },
      });
      assert.deepEqual(callFor('x', withClose('Please close all resolved tickets')), {
        name: 'close_work_items',
        args: { status: 'resolved' },
      });
      assert.deepEqual(callFor('x', withClose('close all work items')), {
        name: 'close_work_items',
        args: { all: true },
      });
    });

    it('leaves a single id to update_work_item and how-to questions to the knowledge base', () => {
      assert.equal(callFor('x', withClose('close WI-3')).name, 'update_work_item');
      assert.equal(callFor('x', withClose('How do I close all tasks?')).name, 'search_knowledge');
    });

    it('does not offer it when the tool is not on offer', () => {
      assert.notEqual(callFor('close all work items').name, 'close_work_items');
    });

    it('explains after the tool that nothing changes before Confirm', () => {
      const reply = textOf(
        composeReply(
          afterTool('close all work items', 'close_work_items', {
            ok: true,
            confirmationRequired: true,
            wouldClose: [
              { id: 'WI-1', title: 'Rotate keys', status: 'new' },
              { id: 'WI-2', title: 'Patch servers', status: 'active' },
            ],
          }),
          NOW,
        ),
      );
      assert.match(reply, /I prepared closing 2 work items/);
      assert.match(reply, /\*\*WI-1\*\* Rotate keys/);
      assert.match(reply, /Nothing has changed yet: press \*\*Confirm\*\*/);
    });
  });

  describe('when the user asks to list or find work items', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['show my open work items', { assignee: 'me' }],
      ['what tasks are assigned to Dana?', { assignee: 'Dana' }],
      ['list resolved tickets', { status: 'resolved' }],
      ['list active bugs for Priya', { status: 'active', assignee: 'Priya' }],
      ['find work items about the VPN rollout', { query: 'VPN rollout' }],
      ['show me the tickets about "printer jam"', { query: 'printer jam' }],
      ["show Dana's tasks", { assignee: 'Dana' }],
      ['What is the status of WI-9?', { query: 'WI-9' }],
    ];
    for (const [message, args] of cases) {
      it(`"${message}" → find_work_items ${JSON.stringify(args)}`, () => {
        assert.deepEqual(callFor(message), { name: 'find_work_items', args });
      });
    }
  });

  describe('otherwise', () => {
    it('searches the knowledge base with the user text', () => {
      assert.deepEqual(callFor('How do I set up the VPN on my laptop?'), {
        name: 'search_knowledge',
        args: { query: 'How do I set up the VPN on my laptop?' },
      });
    });

    it('reads the text parts of a parts-array content and skips images', () => {
      const request = requestWith(
        [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is the expense limit' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              { type: 'text', text: 'for home office equipment?' },
            ],
          },
        ],
        toolsNamed('search_knowledge'),
      );
      assert.deepEqual(callFor('', request).args, {
        query: 'What is the expense limit for home office equipment?',
      });
    });

    it('only calls tools that are offered: without create_work_item a create request becomes a search', () => {
      const request = userTurn(
        'create a task called Buy milk',
        toolsNamed('search_knowledge', 'find_work_items'),
      );
      assert.equal(callFor('', request).name, 'search_knowledge');
    });

    it('introduces itself when no tools are offered', () => {
      const reply = textOf(composeReply(userTurn('What is the VPN address?', []), NOW));
      assert.equal(reply, OFFLINE_INTRODUCTION);
      assert.match(reply, /offline model/);
      assert.match(reply, /knowledge base/);
      assert.match(reply, /work items/);
    });

    it('calls no tool when tool_choice is "none"', () => {
      const request: ChatRequest = { ...userTurn('create a task called Buy milk'), tool_choice: 'none' };
      assert.equal(composeReply(request, NOW).kind, 'text');
    });

    it('answers a greeting without searching', () => {
      assert.match(textOf(composeReply(userTurn('Hello!'), NOW)), /^Hello! I'm the built-in offline model/);
    });

    it('never answers with empty text: empty message, empty history, assistant last', () => {
      const odd: ChatRequest[] = [
        userTurn('   '),
        { model: 'offline', stream: false, messages: [] },
        requestWith([{ role: 'assistant', content: 'Earlier answer.' }]),
        requestWith([{ role: 'user', content: null }], []),
      ];
      for (const request of odd) {
        const text = textOf(composeReply(request, NOW));
        assert.ok(text.trim().length > 0, `empty answer for ${JSON.stringify(request.messages)}`);
      }
    });

    it('cuts a very long question to 500 characters for the search query', () => {
      const { args } = callFor(`vpn ${'word '.repeat(300)}`) as { args: { query: string } };
      assert.equal(args.query.length, 500);
    });
  });

  describe('after knowledge search results', () => {
    const passages = {
      results: [
        {
          ref: 1,
          title: 'Remote work and VPN',
          heading: 'Connecting',
          source: 'remote-work-and-vpn.md',
          text:
            '## Connecting\nAll staff must use the Contoso VPN when working from home. The cafeteria opens at 8. ' +
            'To connect, open the **GlobalProtect** client and sign in with your work account.',
        },
        {
          ref: 2,
          title: 'Expenses',
          heading: 'Travel',
          source: 'expenses.md',
          text: 'Train tickets are reimbursed in second class. Taxis need approval.',
        },
        {
          ref: 3,
          title: 'Remote work and VPN',
          heading: 'Troubleshooting',
          source: 'remote-work-and-vpn.md',
          text: 'If the VPN does not connect, restart the client. Printers are on floor 2.',
        },
      ],
    };

    it('quotes the most relevant sentences of the relevant passages, each with its [ref] marker', () => {
      const text = textOf(
        composeReply(afterTool('How do I connect to the VPN from home?', 'search_knowledge', passages), NOW),
      );
      assert.equal(
        text,
        'Here is what the knowledge base says:\n\n' +
          '- All staff must use the Contoso VPN when working from home. To connect, open the GlobalProtect client ' +
          'and sign in with your work account. [1]\n' +
          '- If the VPN does not connect, restart the client. [3]',
      );
    });

    it('uses only sentences from the passages', () => {
      const text = textOf(composeReply(afterTool('VPN connect', 'search_knowledge', passages), NOW));
      const body = text.split('\n').slice(2).join(' ');
      const passageText = passages.results.map((passage) => passage.text.replace(/\*\*/g, '')).join(' ');
      for (const sentence of body
        .replace(/^- /gm, '')
        .split(/\s*\[\d\]\s*(?:- )?/)
        .filter(Boolean)) {
        for (const piece of sentence.split(/(?<=\.)\s+/)) {
          assert.ok(passageText.includes(piece), `"${piece}" is not in the passages`);
        }
      }
    });

    it('falls back to the first passage when no passage shares a word with the question', () => {
      const text = textOf(composeReply(afterTool('zzz qqq', 'search_knowledge', passages), NOW));
      assert.match(text, /\[1\]$/);
      assert.doesNotMatch(text, /\[2\]|\[3\]/);
    });

    it('says plainly that nothing was found and suggests rephrasing', () => {
      const text = textOf(
        composeReply(afterTool('What is the wifi password?', 'search_knowledge', { results: [] }), NOW),
      );
      assert.match(text, /couldn't find anything about that in the knowledge base/);
      assert.match(text, /rephras/i);
    });

    it('stays under 1200 characters with long passages', () => {
      const long =
        'The VPN client connects automatically when the laptop starts and the network is available '.repeat(
          12,
        );
      const results = [1, 2, 3].map((ref) => ({
        ref,
        title: 'VPN',
        heading: 'VPN',
        source: 'v.md',
        text: `${long}. ${long}.`,
      }));
      const text = textOf(
        composeReply(afterTool('VPN client network laptop', 'search_knowledge', { results }), NOW),
      );
      assert.ok(text.length <= 1200, `answer has ${text.length} characters`);
      assert.match(text, /\[1\]/);
    });
  });

  describe('after work item tool results', () => {
    it('confirms a created work item with its fields', () => {
      const result = {
        ok: true,
        workItem: {
          id: 'WI-12',
          title: 'Update VPN guide',
          status: 'new',
          assignee: 'Dana',
          dueDate: '2026-12-01',
        },
      };
      assert.equal(
        textOf(
          composeReply(afterTool('create a task called Update VPN guide', 'create_work_item', result), NOW),
        ),
        'I created work item **WI-12**: Update VPN guide (new, assigned to Dana, due 2026-12-01).',
      );
    });

    it('confirms an updated work item', () => {
      const result = {
        ok: true,
        workItem: { id: 'WI-3', title: 'Printer', status: 'resolved', assignee: null, dueDate: null },
      };
      assert.equal(
        textOf(composeReply(afterTool('mark WI-3 as resolved', 'update_work_item', result), NOW)),
        'I updated work item **WI-3**: Printer (resolved, unassigned).',
      );
    });

    it('says that a change to an existing work item waits for Confirm, listing what would change', () => {
      const result = {
        ok: true,
        confirmationRequired: true,
        confirmationId: 'c-1',
        status: 'NOTHING HAS CHANGED YET.',
        wouldChange: {
          id: 'WI-3',
          title: 'Printer',
          changes: [
            { field: 'status', from: 'new', to: 'resolved' },
            { field: 'assignee', from: null, to: 'Dana' },
          ],
        },
      };
      assert.equal(
        textOf(composeReply(afterTool('mark WI-3 as resolved', 'update_work_item', result), NOW)),
        'I prepared a change to work item **WI-3** (Printer):\n\n- status: new → resolved\n' +
          '- assignee: (none) → Dana\n\nNothing has changed yet: press **Confirm** to apply it, or **Cancel**.',
      );
    });

    it('says when a work item already had the values asked for', () => {
      const result = {
        ok: true,
        unchanged: true,
        workItem: { id: 'WI-3', title: 'Printer', status: 'resolved', assignee: null, dueDate: null },
      };
      assert.equal(
        textOf(composeReply(afterTool('mark WI-3 as resolved', 'update_work_item', result), NOW)),
        'Work item **WI-3** already has these values, so nothing needed to change.',
      );
    });

    it('lists found work items, leaving out resolved and closed ones when "open" was asked', () => {
      const result = {
        ok: true,
        workItems: [
          {
            id: 'WI-1',
            title: 'Renew certificate',
            status: 'active',
            assignee: 'Dana',
            dueDate: '2026-02-01',
          },
          { id: 'WI-2', title: 'Old printer', status: 'closed', assignee: 'Dana', dueDate: null },
          { id: 'WI-3', title: 'New laptop', status: 'new', assignee: null, dueDate: null },
        ],
      };
      assert.equal(
        textOf(composeReply(afterTool('show my open work items', 'find_work_items', result), NOW)),
        'I found 2 open work items:\n\n' +
          '- **WI-1** Renew certificate (active, assigned to Dana, due 2026-02-01)\n' +
          '- **WI-3** New laptop (new, unassigned)',
      );
      assert.match(
        textOf(composeReply(afterTool('list all work items', 'find_work_items', result), NOW)),
        /^I found 3 work items:/,
      );
    });

    it('says when no work item matched', () => {
      const text = textOf(
        composeReply(afterTool('list tasks about X', 'find_work_items', { ok: true, workItems: [] }), NOW),
      );
      assert.equal(text, "I didn't find any work items matching that.");
    });

    it('keeps a long list under 1200 characters and says how many more there are', () => {
      const workItems = Array.from({ length: 30 }, (_, index) => ({
        id: `WI-${index + 1}`,
        title: `A rather long work item title number ${index + 1} about the network`,
        status: 'active',
        assignee: 'Dana Smith',
        dueDate: '2026-05-01',
      }));
      const text = textOf(
        composeReply(afterTool('list tasks', 'find_work_items', { ok: true, workItems }), NOW),
      );
      assert.ok(text.length <= 1200, `answer has ${text.length} characters`);
      assert.match(text, /^I found 30 work items:/);
      assert.match(text, /…and \d+ more$/);
    });

    it('reports a tool failure and quotes its error', () => {
      const text = textOf(
        composeReply(
          afterTool('create a task called X', 'create_work_item', {
            ok: false,
            error: 'dueDate must be YYYY-MM-DD',
          }),
          NOW,
        ),
      );
      assert.equal(text, 'The create_work_item tool reported a problem: "dueDate must be YYYY-MM-DD"');
    });

    it('says so when a tool result is not JSON', () => {
      const text = textOf(
        composeReply(afterTool('create a task called X', 'create_work_item', 'Internal error<html>'), NOW),
      );
      assert.match(text, /create_work_item tool returned a result I could not read/);
    });

    it('answers every tool result when several tools ran in one round', () => {
      const request = requestWith([
        { role: 'user', content: 'close WI-3 and list my tasks' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'update_work_item', arguments: '{"id":"WI-3"}' } },
            { id: 'b', type: 'function', function: { name: 'find_work_items', arguments: '{}' } },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 'a',
          content: '{"ok":true,"workItem":{"id":"WI-3","title":"T","status":"closed"}}',
        },
        { role: 'tool', tool_call_id: 'b', content: '{"ok":false,"error":"storage is busy"}' },
      ]);
      assert.equal(
        textOf(composeReply(request, NOW)),
        'I updated work item **WI-3**: T (closed, unassigned).\n\nThe find_work_items tool reported a problem: "storage is busy"',
      );
    });
  });
});
