import { strict as assert } from 'node:assert';
import { Application, type TurnState } from '@microsoft/teams-ai';
import { createLogger } from '../../src/shared/logging';
import {
  ConflictMergingStorage,
  openDatabase,
  SqliteInboundActivityIds,
  SqliteStorage,
  type Db,
} from '../../src/storage';
import { InProcessChannel, type SurfaceSink } from '../../src/surfaces';
import type { AppliedItemChange, ItemChange, Tool } from '../../src/tools';
import { registerConfirmationHandler } from '../../src/turn/confirmationHandler';
import { addPendingConfirmation } from '../../src/turn/pendingConfirmations';
import { TenantScopedTurnState } from '../../src/turn/stateKeys';
import { waitFor } from '../support/waitFor';

const CONVERSATION = 'terminal-claims';
const USER = 'terminal-dana';

const SILENT: SurfaceSink = {
  onStatus: () => undefined,
  onTextDelta: () => undefined,
  onToolCall: () => undefined,
  onToolResult: () => undefined,
  onMessage: () => undefined,
  onTurnEnd: () => undefined,
  onConfirmation: () => undefined,
};

const CHANGE: ItemChange = {
  id: 'WI-1',
  title: 'Rotate keys',
  fields: [{ field: 'title', before: 'Rotate keys', after: 'PWNED' }],
};

/**
 * The confirmation handler on a real Application and state storage (SQLite, merged on conflicts as in the
 * bot), reached through the in-process channel, with a tool whose apply step waits until the test lets it go:
 * so a second press can arrive while the first is still applying, both having read the change as pending.
 */
describe('confirmation handler: a change is claimed before it is applied', function () {
  let db: Db;
  let channel: InProcessChannel;
  let applying = 0;
  let release: () => void = () => undefined;

  beforeEach(async () => {
    db = openDatabase({ file: ':memory:' });
    const logger = createLogger('silent');
    const app = new Application<TurnState>({
      storage: new ConflictMergingStorage(new SqliteStorage(db), { logger }),
      turnStateFactory: () => new TenantScopedTurnState(),
      startTypingTimer: false,
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    applying = 0;
    const tool: Tool = {
      name: 'update_work_item',
      run: () => Promise.resolve({ ok: true }),
      async applyConfirmed(changes): Promise<AppliedItemChange[]> {
        applying += 1;
        await gate;
        return changes.map((change) => ({ change, result: 'applied' }));
      },
    };
    registerConfirmationHandler(app, [tool], { logger, claims: new SqliteInboundActivityIds(db) });
    // A message turn that records a pending change for the user, as the tool actions do.
    app.activity('message', async (_context, state) => {
      addPendingConfirmation(
        state,
        {
          tool: 'update_work_item',
          tenantId: 'local',
          conversationId: CONVERSATION,
          userId: USER,
          changes: [CHANGE],
        },
        Date.now(),
      );
    });
    channel = new InProcessChannel({ app, channelId: 'terminal' });
  });
  afterEach(() => {
    release();
    db.close();
  });

  async function pendingId(): Promise<string> {
    let id = '';
    const sink: SurfaceSink = { ...SILENT };
    await channel.ask({
      conversationId: CONVERSATION,
      userId: USER,
      text: 'propose',
      signal: new AbortController().signal,
      sink,
    });
    const stored = db.prepare('SELECT value FROM bot_state').all() as Array<{ value: string }>;
    for (const row of stored) {
      const value = JSON.parse(row.value) as { pendingConfirmations?: Record<string, unknown> };
      id = Object.keys(value.pendingConfirmations ?? {})[0] ?? id;
    }
    assert.ok(id, 'a pending change was stored');
    return id;
  }

  const answer = (confirmationId: string, userId = USER) =>
    channel.sendConfirmation({ conversationId: CONVERSATION, userId, confirmationId, decision: 'confirm' });

  it('a second Confirm while the first is applying is refused: the change applies once', async () => {
    const id = await pendingId();
    const first = answer(id);
    assert.ok(await waitFor(() => applying === 1, 5000), 'the first press is applying');
    let secondSettled = false;
    const second = answer(id).finally(() => {
      secondSettled = true;
    });
    await waitFor(() => secondSettled || applying > 1, 2000);
    release();
    const [firstResult, secondResult] = await Promise.all([first, second]);
    assert.equal(applying, 1, 'applied once');
    assert.match(firstResult.lines.join('\n'), /Done: the change was applied/);
    assert.match(secondResult.lines.join('\n'), /no longer pending/);
  });

  it("refuses another user's answer and gives the text of the outcome card to the surface", async () => {
    const id = await pendingId();
    const refused = await answer(id, 'terminal-mallory');
    assert.deepEqual(refused.lines, ['Only the person who asked for this change can confirm or cancel it.']);
    release();
    const applied = await answer(id);
    assert.deepEqual(applied.lines, [
      'Change 1 work item(s)?',
      'Done: the change was applied.',
      'WI-1 "Rotate keys": changed',
      'Title: Rotate keys → PWNED',
    ]);
    assert.equal(applying, 1);
  });
});
