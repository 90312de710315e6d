import type { Attachment, TurnContext } from 'botbuilder';
import type { CitationSource } from '../streaming';
import { tenantOfActivity } from './tenantGate';
import type { AnswerStream } from './turnStreams';

/** Where a conversation's data belongs: the tenant and conversation it was created in. */
export interface ConversationScope {
  tenantId: string;
  conversationId: string;
}

/** A passage a tool found, numbered for citation within the turn. */
export interface TurnSource extends CitationSource {
  /** Stable identity of the passage, so the same passage found twice keeps one number. */
  key: string;
  /** Where the passage comes from (a path or URL), shown on the card. */
  location: string;
}

const SESSION_KEY = Symbol('turnSession');

/**
 * Everything one answer needs across the planner, the tools and the stream: created when a message arrives,
 * kept on the TurnContext, gone with the turn.
 */
export class TurnSession {
  private readonly sourceList: TurnSource[] = [];
  private readonly tools: string[] = [];
  /** Confirmation cards tools asked for, sent as their own messages after the answer. */
  readonly confirmationCards: Attachment[] = [];
  private directCloseClaimed = false;
  /**
   * @param abortController aborted when the user presses Stop; its signal reaches the model's HTTP request.
   */
  constructor(
    readonly streamer: AnswerStream,
    readonly scope: ConversationScope,
    readonly locale: string | undefined,
    readonly question: string,
    readonly abortController: AbortController,
  ) {}

  /** Attaches the session to the turn so tools and handlers can find it. */
  static attach(context: TurnContext, session: TurnSession): void {
    context.turnState.set(SESSION_KEY, session);
  }

  /** The session of this turn, if a message handler started one. */
  static of(context: TurnContext): TurnSession | undefined {
    return context.turnState.get<TurnSession | undefined>(SESSION_KEY);
  }

  /** The sources found so far, in citation order. */
  get sources(): readonly TurnSource[] {
    return this.sourceList;
  }

  /** The tools that ran this turn, in order, each once. */
  get toolsUsed(): readonly string[] {
    return this.tools;
  }

  /** Adds a source (or finds it again) and returns its citation number. */
  addSource(source: Omit<TurnSource, 'position'>): number {
    const existing = this.sourceList.find((candidate) => candidate.key === source.key);
    if (existing) return existing.position;
    const position = this.sourceList.length + 1;
    this.sourceList.push({ ...source, position });
    return position;
  }

  /** True the first time a tool closes a single work item this turn, false after (see ToolContext). */
  claimDirectClose(): boolean {
    if (this.directCloseClaimed) return false;
    this.directCloseClaimed = true;
    return true;
  }

  /** Records that a tool ran. */
  noteTool(name: string): void {
    if (!this.tools.includes(name)) this.tools.push(name);
  }
}

/**
 * The tenant and conversation of the turn's activity. The tenant gate has already refused activities whose
 * two tenant fields disagree. Without a tenant (Agents Playground, some emulators) the scope is still the
 * conversation, whose id is unique in Teams.
 */
export function conversationScopeOf(context: TurnContext): ConversationScope {
  const activity = context.activity;
  return {
    tenantId: tenantOfActivity(activity).tenantId ?? 'no-tenant',
    conversationId: activity.conversation?.id ?? 'no-conversation',
  };
}

/** Who sent the turn's activity, and in what kind of conversation. */
export interface Requester {
  /** AAD object id, or the Teams user id when Teams sends none (the id answers and feedback carry). */
  userId: string;
  /** The Teams user id (`from.id`), which keys botbuilder's user state. */
  channelUserId: string;
  userName: string | undefined;
  /** 'personal', 'groupChat' or 'channel'. */
  conversationType: string;
}

/** The sender of the turn's activity. */
export function requesterOf(context: TurnContext): Requester {
  const { from, conversation } = context.activity;
  return {
    userId: from?.aadObjectId ?? from?.id ?? 'unknown',
    channelUserId: from?.id ?? 'unknown',
    userName: from?.name,
    conversationType: conversation?.conversationType ?? 'personal',
  };
}
