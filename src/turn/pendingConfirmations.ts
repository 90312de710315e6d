import type { TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';

/** How long a confirmation card can be confirmed. */
export const CONFIRMATION_TTL_MS = 10 * 60 * 1000;

/** A destructive change waiting for the requester's Confirm, kept in the conversation's state. */
export interface PendingConfirmation {
  id: string;
  /** The tool whose `applyConfirmed` makes the change. */
  tool: string;
  tenantId: string;
  conversationId: string;
  /** Only this user may confirm or cancel. */
  userId: string;
  changes: string[];
  payload: Record<string, unknown>;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const STATE_PATH = 'conversation.pendingConfirmations';

function pendingOf(state: TurnState): Record<string, PendingConfirmation> {
  const stored = state.getValue<unknown>(STATE_PATH);
  return typeof stored === 'object' && stored !== null ? (stored as Record<string, PendingConfirmation>) : {};
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

/** The pending confirmation with this id, if the conversation has it. */
export function findPendingConfirmation(state: TurnState, id: string): PendingConfirmation | undefined {
  return Object.prototype.hasOwnProperty.call(pendingOf(state), id) ? pendingOf(state)[id] : undefined;
}

/** Removes a pending confirmation (confirmed, cancelled or expired), so it can never be applied twice. */
export function removePendingConfirmation(state: TurnState, id: string): void {
  const rest = Object.fromEntries(Object.entries(pendingOf(state)).filter(([key]) => key !== id));
  state.setValue(STATE_PATH, rest);
}
