import type { OfflineModelStats } from '../dev/offline-model';
import type { HelperLoopDelay } from './helperProtocol';
import type { CpuPerTurn } from './cpuUsage';
import type { ConversationFigures, ConversationMetrics } from './metrics';
import type { PassImplementation } from './parameters';
import type { ResourceSummary } from './resourceMonitor';

/** Everything measured for one streamer on one fresh bot. */
export interface PassResult {
  implementation: PassImplementation;
  /** The cluster pass: the bot's processes (the primary serves nothing; the workers share the port). */
  cluster?: { processes: number; primaryPid: number; workerPids: number[] };
  /**
   * The machine's 1-minute load average just before the load started: other processes on the machine take
   * CPU from the bot, so a high figure means pessimistic results.
   */
  loadAverageBefore: number;
  metrics: ConversationMetrics;
  resources: ResourceSummary;
  /** (peak RSS − baseline RSS) / conversations. */
  rssPerStreamBytes: number;
  /** First POST sent → last final message arrived (or the deadline). */
  loadDurationMs: number;
  /**
   * CPU of the bot over the load window, per answered turn: of this process for the in-process passes (the
   * load generator's separately measured share subtracted in `botMsPerTurn`), of the primary and workers
   * (from /proc) for the cluster pass.
   */
  cpu: CpuPerTurn;
  /** False when some final messages had not arrived by the deadline. */
  allFinalsArrived: boolean;
  /**
   * Conversations whose final message arrived by the deadline. The figures also count later ones, which
   * arrive while the pass waits for the POST responses and winds down.
   */
  answeredByDeadline: number;
  /** Inbound POSTs answered with a non-2xx status or with no response. */
  failedPosts: number;
  /** The first few POST failures, for the report. */
  postFailureExamples: string[];
  /**
   * Unhandled promise rejections in the bot's process during the pass (the cluster pass counts the
   * workers' "unhandled promise rejection" log lines).
   */
  unhandledRejections: number;
  /** Chat completion responses of the model (warm-up included): completed, aborted, open at the end. */
  modelStats: OfflineModelStats;
  /** Measured conversations that made a second model request (after their tool round). */
  toolRounds: number;
  /** Each helper's clock minus ours, as estimated; shown so a skewed estimate would be visible. */
  clockOffsetsMs: { model: number; connector: number };
  /** TCP connections the bot opened during the pass (warm-up included), to the model and to the connector. */
  connections: { model: number; connector: number };
  /** Sends the connector received during the pass, warm-up included (to compare with its connections). */
  sendsReceived: number;
  /** Event-loop delay of the model's process (model and timing proxy) over the pass: did it keep pace? */
  modelProcessLoopDelay: HelperLoopDelay;
  /** Event-loop delay of the connector's process over the pass: were its arrival times prompt? */
  connectorProcessLoopDelay: HelperLoopDelay;
  /** Every measured conversation's own figures, in conversation order. */
  conversations: ConversationFigures[];
}
