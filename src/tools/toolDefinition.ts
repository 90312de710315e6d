import type { AppliedItemChange, ItemChange } from './itemChange';

/** What a tool may use of the turn it runs in. */
export interface ToolContext {
  /**
   * Work items and other data are scoped to this tenant and conversation. It comes from the Teams activity,
   * never from the model: no tool argument can name another tenant or conversation.
   */
  scope: { tenantId: string; conversationId: string };
  /** The user who asked: AAD object id, or the Teams user id when Teams sends none. */
  userId: string;
  /** Display name of the user who asked, when Teams sends it. */
  userName: string | undefined;
  /** Aborted when the user presses Stop: tools pass it to their own HTTP requests. */
  signal?: AbortSignal;
  /** 'personal' for the user's 1:1 chat with the bot, 'groupChat' or 'channel' otherwise. */
  conversationType: string;
  /** Registers a passage the answer may cite and returns its citation number `[n]`. */
  addSource(source: { key: string; title: string; text: string; location: string; url?: string }): number;
  /**
   * Asks the user to confirm changes to existing work items: an Adaptive Card (Confirm / Cancel) in Teams and
   * Copilot, an equivalent step in the terminal and the web chat, shown after the answer. Nothing happens
   * until the user who asked confirms; then the tool's `applyConfirmed` applies exactly these changes, in the
   * same scope. Requests of one tool within one turn are combined into one confirmation, whose id is returned.
   */
  requestConfirmation(request: ConfirmationRequest): string;
  /** Records that this turn created the work item `id`, for the user who asked. */
  noteCreatedWorkItem(id: string): void;
  /**
   * True when this very turn created the work item `id` ('WI-7'): the user who asked may change it without a
   * confirmation. Any other existing item is changed only through `requestConfirmation`.
   */
  createdThisTurn(id: string): boolean;
}

/** Changes a tool wants the user to confirm; the card's title names the tool and the number of items. */
export interface ConfirmationRequest {
  /** Per work item, the fields Confirm would set, from and to which values. */
  changes: ItemChange[];
}

/** The JSON object a tool hands back to the model as its result. */
export type ToolResult = { ok: true } & Record<string, unknown>;

/**
 * A tool the model can call. Arguments arrive already validated against the tool's JSON schema in
 * prompts/chat/actions.json; a tool throws ToolError for problems the model should hear about.
 */
export interface Tool {
  readonly name: string;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
  /**
   * For tools that request confirmations: applies the confirmed changes exactly as recorded, in the scope of
   * the conversation the request came from, and says per item how it went.
   */
  applyConfirmed?: (
    changes: readonly ItemChange[],
    context: ConfirmedContext,
  ) => Promise<AppliedItemChange[]>;
}

/** Where a confirmed change applies: the scope and user of the original request, checked again at Confirm. */
export interface ConfirmedContext {
  scope: { tenantId: string; conversationId: string };
  userId: string;
}
