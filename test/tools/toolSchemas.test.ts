import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/shared/errors';
import { loadToolSchemas, type ActionDescription, type ArgumentValidator } from '../../src/tools';

/** The prompt folder the bot ships (test files are compiled to build/test/tools). */
const PROMPT_FOLDER = path.resolve(__dirname, '../../../prompts/chat');

describe('loadToolSchemas', () => {
  describe('with the shipped prompts/chat/actions.json', () => {
    const validators = loadToolSchemas(PROMPT_FOLDER);
    const validator = (name: string): ArgumentValidator => {
      const found = validators.get(name);
      assert.ok(found, `no validator for ${name}`);
      return found;
    };

    it('has one validator per action the model is told about', () => {
      const actions = JSON.parse(
        fs.readFileSync(path.join(PROMPT_FOLDER, 'actions.json'), 'utf8'),
      ) as ActionDescription[];
      assert.deepEqual([...validators.keys()].sort(), actions.map((action) => action.name).sort());
      assert.deepEqual([...validators.keys()].sort(), [
        'close_work_items',
        'create_work_item',
        'find_work_items',
        'search_knowledge',
        'update_work_item',
      ]);
    });

    it('validates close_work_items: ids or a filter, never the scope', () => {
      const close = validator('close_work_items');
      assert.equal(close({ ids: ['WI-3', '7'] }), undefined);
      assert.equal(close({ status: 'new' }), undefined);
      assert.match(close({}) ?? '', /must NOT have fewer than 1 properties/);
      assert.match(close({ ids: [] }) ?? '', /arguments\.ids must NOT have fewer than 1 items/);
      assert.match(close({ ids: ['WI-1; DROP TABLE'] }) ?? '', /arguments\.ids\.0 must match pattern/);
      assert.match(close({ status: 'closed' }) ?? '', /must be one of "new", "active", "resolved"/);
      assert.match(close({ ids: ['WI-1'], tenantId: 'other' }) ?? '', /unknown argument "tenantId"/);
    });

    it('accepts valid arguments', () => {
      assert.equal(validator('search_knowledge')({ query: 'VPN troubleshooting' }), undefined);
      assert.equal(
        validator('create_work_item')({
          title: 'Renew the VPN certificate',
          description: 'Expires next month.',
          status: 'active',
          assignee: 'me',
          dueDate: '2026-02-28',
        }),
        undefined,
      );
      assert.equal(validator('find_work_items')({}), undefined);
      assert.equal(validator('update_work_item')({ id: 'WI-12', status: 'resolved' }), undefined);
      assert.equal(validator('update_work_item')({ id: '12' }), undefined);
    });

    it('names a missing required argument', () => {
      assert.equal(
        validator('create_work_item')({ description: 'no title' }),
        "arguments must have required property 'title'",
      );
      assert.match(validator('update_work_item')({ status: 'active' }) ?? '', /required property 'id'/);
    });

    it('names an argument of the wrong type', () => {
      assert.equal(validator('search_knowledge')({ query: 42 }), 'arguments.query must be string');
    });

    it('rejects arguments that are not an object', () => {
      assert.equal(validator('search_knowledge')('VPN'), 'arguments must be object');
    });

    it('names an argument the schema does not declare, so the model knows what to drop', () => {
      assert.equal(
        validator('create_work_item')({ title: 'x', priority: 'high' }),
        'arguments has an unknown argument "priority"',
      );
    });

    it('names a status outside the allowed values, and the values allowed', () => {
      assert.equal(
        validator('create_work_item')({ title: 'x', status: 'done' }),
        'arguments.status must be one of "new", "active", "resolved", "closed"',
      );
      assert.match(validator('find_work_items')({ status: 'Open' }) ?? '', /^arguments\.status /);
    });

    it('names a due date that is not a real YYYY-MM-DD date', () => {
      for (const dueDate of ['2026-13-45', '12/01/2026']) {
        assert.equal(
          validator('create_work_item')({ title: 'x', dueDate }),
          'arguments.dueDate must match format "date"',
          dueDate,
        );
      }
      assert.match(
        validator('update_work_item')({ id: 'WI-1', dueDate: '2026-02-30' }) ?? '',
        /arguments\.dueDate/,
      );
    });

    it('names a work item id that is not WI-<n> or <n>', () => {
      for (const id of ['ticket-7', 'WI-', 'WI-7a', '#7']) {
        assert.match(
          validator('update_work_item')({ id, status: 'active' }) ?? '',
          /^arguments\.id must match pattern/,
          id,
        );
      }
    });

    it('reports every problem at once', () => {
      const message = validator('create_work_item')({ title: 7, status: 'done' }) ?? '';
      assert.match(message, /arguments\.title must be string/);
      assert.match(message, /arguments\.status must be one of/);
    });

    it('names an empty search query', () => {
      assert.match(
        validator('search_knowledge')({ query: '' }) ?? '',
        /^arguments\.query must NOT have fewer than 1 characters$/,
      );
    });
  });

  describe('with a broken actions.json', () => {
    let folder: string;

    beforeEach(() => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-schemas-'));
    });

    afterEach(() => {
      fs.rmSync(folder, { recursive: true, force: true });
    });

    it('throws a ConfigError naming the file and the action whose schema does not compile', () => {
      const actions: ActionDescription[] = [
        { name: 'fine', description: 'ok', parameters: { type: 'object' } },
        {
          name: 'broken_tool',
          description: 'bad',
          parameters: { type: 'object', properties: { n: { type: 'integr' } } },
        },
      ];
      const file = path.join(folder, 'actions.json');
      fs.writeFileSync(file, JSON.stringify(actions));
      assert.throws(
        () => loadToolSchemas(folder),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.setting === file &&
          /the schema of "broken_tool" does not compile/.test(error.message),
      );
    });
  });
});
