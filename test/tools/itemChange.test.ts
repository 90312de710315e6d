import { strict as assert } from 'node:assert';
import type { WorkItem } from '../../src/storage';
import { isItemChange, mergeChanges, proposeChange, type ItemChange } from '../../src/tools';

const item: WorkItem = {
  id: 'WI-3',
  title: 'Rotate keys',
  description: '',
  status: 'new',
  assignee: 'Dana',
  dueDate: null,
  createdBy: 'Dana',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('work item changes awaiting confirmation', () => {
  it('proposes only the fields that differ, in a fixed order, with their values before and after', () => {
    assert.deepEqual(
      proposeChange(item, { dueDate: '2026-05-01', status: 'new', assignee: null, title: 'X' }),
      {
        id: 'WI-3',
        title: 'Rotate keys',
        fields: [
          { field: 'title', before: 'Rotate keys', after: 'X' },
          { field: 'assignee', before: 'Dana', after: null },
          { field: 'dueDate', before: null, after: '2026-05-01' },
        ],
      },
    );
    assert.deepEqual(proposeChange(item, { status: 'new' }).fields, []);
  });

  it('combines the proposals of one turn per item: first value before, last value after', () => {
    const rename = proposeChange(item, { title: 'Step one' });
    const renameAgain = proposeChange(item, { title: 'Step two', status: 'active' });
    const other: ItemChange = {
      id: 'WI-4',
      title: 'Other',
      fields: [{ field: 'status', before: 'new', after: 'closed' }],
    };
    assert.deepEqual(mergeChanges([rename], [other, renameAgain]), [
      {
        id: 'WI-3',
        title: 'Rotate keys',
        fields: [
          { field: 'title', before: 'Rotate keys', after: 'Step two' },
          { field: 'status', before: 'new', after: 'active' },
        ],
      },
      other,
    ]);
  });

  it('drops a field that a later proposal sets back, and an item left with nothing to change', () => {
    const there: ItemChange = {
      id: 'WI-3',
      title: 'T',
      fields: [{ field: 'status', before: 'new', after: 'active' }],
    };
    const back: ItemChange = {
      id: 'WI-3',
      title: 'T',
      fields: [{ field: 'status', before: 'active', after: 'new' }],
    };
    assert.deepEqual(mergeChanges([there], [back]), []);
  });

  it('recognises a stored change, and not an entry of another shape (an older version)', () => {
    assert.equal(isItemChange(proposeChange(item, { title: 'X' })), true);
    assert.equal(isItemChange('WI-3 "Rotate keys" (new → closed)'), false);
    assert.equal(
      isItemChange({ id: 'WI-3', title: 'T', fields: [{ field: 'owner', before: 'a', after: 'b' }] }),
      false,
    );
    assert.equal(
      isItemChange({ id: 'WI-3', title: 'T', fields: [{ field: 'title', before: 1, after: 'b' }] }),
      false,
    );
  });
});
