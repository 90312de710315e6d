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
   * Asks the user to confirm a destructive change with an Adaptive Card (Confirm / Cancel) sent after the
   * answer. Nothing happens until the user who asked presses Confirm; then the tool's `applyConfirmed` runs
   * with `payload` in the same scope. Returns the confirmation's id.
   */
  requestConfirmation(request: ConfirmationRequest): string;
  /**
   * Claims the one work item a turn may close without a confirmation. True the first time in a turn, false
   * after: closing a second item one by one would bypass the confirmation that closing several needs.
   */
  claimDirectClose(): boolean;
}

/** A destructive change a tool wants the user to confirm; the card's title names the tool and the count. */
export interface ConfirmationRequest {
  /** One line per change that Confirm would make. */
  changes: string[];
  /** What `applyConfirmed` needs to make the change; stored with the pending confirmation. */
  payload: Record<string, unknown>;
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
   * For tools that only ever request a confirmation: makes the confirmed change, in the scope of the
   * conversation the request came from, and returns one line per change made.
   */
  applyConfirmed?(payload: Record<string, unknown>, context: ConfirmedContext): Promise<string[]>;
}

/** Where a confirmed change applies: the scope and user of the original request, checked again at Confirm. */
export interface ConfirmedContext {
  scope: { tenantId: string; conversationId: string };
  userId: string;
}
