/** What a tool may use of the turn it runs in. */
export interface ToolContext {
  /** Work items and other data are scoped to this tenant and conversation. */
  scope: { tenantId: string; conversationId: string };
  /** Display name of the user who asked, when Teams sends it. */
  userName: string | undefined;
  /** Aborted when the user presses Stop: tools pass it to their own HTTP requests. */
  signal?: AbortSignal;
  /** Registers a passage the answer may cite and returns its citation number `[n]`. */
  addSource(source: { key: string; title: string; text: string; location: string; url?: string }): number;
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
}
