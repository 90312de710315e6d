import { RateLimiter, type TokenBucketPolicy } from '../shared/rateLimit';
import type { Clock } from '../shared/time';

/** How many answers a process takes on, and how fast one user or one conversation may ask. */
export interface AnswerAdmissionLimits {
  /** At most this many answers in progress in this process; a message beyond it gets the busy reply. */
  maxAnswersInProgress: number;
  /** Messages per user (tenant + user id); undefined: no limit. */
  perUser: TokenBucketPolicy | undefined;
  /** Messages per conversation (tenant + conversation id); undefined: no limit. */
  perConversation: TokenBucketPolicy | undefined;
}

/** Who sent a message, for the rate limits. */
export interface MessageSender {
  tenantId: string;
  conversationId: string;
  userId: string;
}

/** Whether a message is answered; if it is, `release` must be called once when its answer has ended. */
export type AdmissionDecision =
  | { admitted: true; release: () => void }
  | { admitted: false; reason: 'busy' }
  | { admitted: false; reason: 'user-rate' | 'conversation-rate'; retryAfterMs: number };

/**
 * Admission control for answers, per process: a bounded number of answers in progress (beyond it a short
 * busy reply, no state and no model call, so acknowledgements stay fast under overload) and token-bucket
 * limits per user and per conversation (a flood from one sender cannot take the capacity of everyone else).
 * The busy check comes first, so a refused message spends none of its sender's allowance.
 */
export class AnswerAdmission {
  private inProgress = 0;
  private readonly perUser: RateLimiter | undefined;
  private readonly perConversation: RateLimiter | undefined;

  constructor(
    private readonly limits: AnswerAdmissionLimits,
    clock?: Clock,
  ) {
    this.perUser = limits.perUser && new RateLimiter(limits.perUser, { clock });
    this.perConversation = limits.perConversation && new RateLimiter(limits.perConversation, { clock });
  }

  /** Answers in progress right now. */
  get answersInProgress(): number {
    return this.inProgress;
  }

  /** Decides whether a message from `sender` is answered now. */
  admit(sender: MessageSender): AdmissionDecision {
    if (this.inProgress >= this.limits.maxAnswersInProgress) return { admitted: false, reason: 'busy' };
    const user = this.perUser?.take(`${sender.tenantId}\n${sender.userId}`);
    if (user && !user.allowed) {
      return { admitted: false, reason: 'user-rate', retryAfterMs: user.retryAfterMs };
    }
    const conversation = this.perConversation?.take(`${sender.tenantId}\n${sender.conversationId}`);
    if (conversation && !conversation.allowed) {
      return { admitted: false, reason: 'conversation-rate', retryAfterMs: conversation.retryAfterMs };
    }
    this.inProgress += 1;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.inProgress -= 1;
      },
    };
  }
}
