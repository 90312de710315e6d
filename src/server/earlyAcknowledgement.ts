import type { Activity, Response } from 'botbuilder';

/**
 * Whether the HTTP answer to this activity carries the turn's result, so it must wait for the turn to end:
 * invokes (card actions, feedback) get the invoke response the handler produced, and `expectReplies`
 * deliveries get the buffered replies. Everything else can be acknowledged as soon as the turn starts.
 */
export function answerCarriesTurnResult(activity: Pick<Activity, 'type' | 'deliveryMode'>): boolean {
  return activity.type === 'invoke' || activity.deliveryMode === 'expectReplies';
}

/** What the adapter tried to write after the request had been acknowledged (it is not sent anywhere). */
export interface IgnoredAnswer {
  status: number | undefined;
  body: unknown;
}

/**
 * The response object handed to botbuilder's CloudAdapter for one inbound request. Until
 * {@link acknowledge} is called it forwards everything (status, header, send, end) to the real HTTP
 * response, so the adapter's own answers (401 for a bad token, 400 for a bad body, an invoke response)
 * reach the caller unchanged. `acknowledge()` answers the real request 200 with no body right away; the
 * adapter's later writes, when its turn finally ends, are recorded in {@link ignored} instead.
 *
 * The adapter authenticates before it runs the turn logic, so acknowledging from inside the logic can never
 * answer 200 to a request that failed authentication.
 */
export class EarlyAcknowledgingResponse implements Response {
  private state: 'forwarding' | 'answered' | 'acknowledged' = 'forwarding';
  private readonly ignoredWrites: IgnoredAnswer = { status: undefined, body: undefined };
  private markAnswered: () => void = () => undefined;

  /** Resolves once the real response has been ended, by the adapter or by {@link acknowledge}. */
  readonly answered: Promise<void>;

  constructor(private readonly real: Response) {
    this.answered = new Promise<void>((resolve) => {
      this.markAnswered = resolve;
    });
  }

  /** The real response's socket (botbuilder reads it only for web socket upgrades). */
  get socket(): unknown {
    return this.real.socket;
  }

  /** True when {@link acknowledge} answered the request and the adapter's own answer is being ignored. */
  get acknowledged(): boolean {
    return this.state === 'acknowledged';
  }

  /** The status and body the adapter wrote after the acknowledgement (both undefined when it wrote none). */
  get ignored(): Readonly<IgnoredAnswer> {
    return this.ignoredWrites;
  }

  /**
   * Answers the real request 200 with an empty body now, unless it has already been answered. Returns
   * whether this call answered it.
   */
  acknowledge(): boolean {
    return this.answerNow(200);
  }

  /**
   * Answers the real request now with an error status and a short text (e.g. 403 for a refused service URL),
   * unless it has already been answered; the adapter's later writes are ignored as after
   * {@link acknowledge}. Returns whether this call answered it.
   */
  refuse(status: number, message: string): boolean {
    return this.answerNow(status, message);
  }

  private answerNow(status: number, message?: string): boolean {
    if (this.state !== 'forwarding') return false;
    this.real.status(status);
    if (message !== undefined) this.real.send(message);
    this.real.end();
    this.state = 'acknowledged';
    this.markAnswered();
    return true;
  }

  status(code: number): unknown {
    if (this.state === 'acknowledged') {
      this.ignoredWrites.status = code;
      return this;
    }
    return this.real.status(code);
  }

  header(name: string, value: unknown): unknown {
    if (this.state === 'acknowledged') return this;
    return this.real.header(name, value);
  }

  send(...args: unknown[]): unknown {
    if (this.state === 'acknowledged') {
      this.ignoredWrites.body = args.at(-1);
      return this;
    }
    return this.real.send(...args);
  }

  end(...args: unknown[]): unknown {
    if (this.state === 'acknowledged') return this;
    const result = this.real.end(...args);
    this.state = 'answered';
    this.markAnswered();
    return result;
  }
}
