import type { TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import { isItemChange, mergeChanges, type ItemChange } from '../tools';

/** How long a confirmation can be confirmed. */
export const CONFIRMATION_TTL_MS = 10 * 60 * 1000;

/**
 * A change to existing work items waiting for the requester's Confirm, kept in the conversation's state: the
 * one record of a pending change, whichever surface shows it (a card in Teams and Copilot, a prompt in the
 * terminal, buttons in the web chat) and whichever tool asked for it.
 */
export interface PendingConfirmation {
  id: string;
  /** The tool whose `applyConfirmed` makes the change. */
  tool: string;
  tenantId: string;
  conversationId: string;
  /** Only this user may confirm or cancel. */
  userId: string;
  /** Exactly what Confirm applies: per item, each field from its value then to its new value. */
  changes: ItemChange[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

const STATE_PATH = 'conversation.pendingConfirmations';

function pendingOf(state: TurnState): Record<string, PendingConfirmation> {
  const stored = state.getValue<unknown>(STATE_PATH);
  return typeof stored === 'object' && stored !== null ? (stored as Record<string, PendingConfirmation>) : {};
}

/** True for a stored entry this version can show and apply (entries of older versions are not). */
function isReadable(entry: unknown): entry is PendingConfirmation {
  if (typeof entry !== 'object' || entry === null) return false;
  const candidate = entry as Partial<PendingConfirmation>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.tool === 'string' &&
    typeof candidate.tenantId === 'string' &&
    typeof candidate.conversationId === 'string' &&
    typeof candidate.userId === 'string' &&
    typeof candidate.expiresAt === 'number' &&
    Array.isArray(candidate.changes) &&
    candidate.changes.every(isItemChange)
  );
}

/**
 * Stores a new pending confirmation in the conversation state (saved with the turn) and drops expired
 * ones. Returns it with its id and expiry.
 */
export function addPendingConfirmation(
  state: TurnState,
  request: Omit<PendingConfirmation, 'id' | 'expiresAt'>,
  now: number,
): PendingConfirmation {
  const pending: PendingConfirmation = { ...request, id: randomUUID(), expiresAt: now + CONFIRMATION_TTL_MS };
  const kept = Object.fromEntries(
    Object.entries(pendingOf(state)).filter(([, entry]) => entry.expiresAt > now),
  );
  state.setValue(STATE_PATH, { ...kept, [pending.id]: pending });
  return pending;
}

/**
 * Adds more changes to a confirmation of this turn (same id and expiry; changes to the same item combined,
 * see `mergeChanges`) and stores it again. Returns the extended confirmation.
 */
export function extendPendingConfirmation(
  state: TurnState,
  pending: PendingConfirmation,
  changes: readonly ItemChange[],
): PendingConfirmation {
  const extended: PendingConfirmation = { ...pending, changes: mergeChanges(pending.changes, changes) };
  state.setValue(STATE_PATH, { ...pendingOf(state), [pending.id]: extended });
  return extended;
}

/** The pending confirmation with this id, if the conversation has it in a form this version can apply. */
export function findPendingConfirmation(state: TurnState, id: string): PendingConfirmation | undefined {
  const all = pendingOf(state);
  const entry: unknown = Object.prototype.hasOwnProperty.call(all, id) ? all[id] : undefined;
  return isReadable(entry) && entry.id === id ? entry : undefined;
}

/** Removes a pending confirmation (confirmed, cancelled or expired), so it can never be applied twice. */
export function removePendingConfirmation(state: TurnState, id: string): void {
  const rest = Object.fromEntries(Object.entries(pendingOf(state)).filter(([key]) => key !== id));
  state.setValue(STATE_PATH, rest);
}
