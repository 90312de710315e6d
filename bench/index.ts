/**
 * The streaming latency benchmark (`npm run bench`, entry runBenchmark.ts): its parameters, the pure metric
 * calculations and the pieces that run a pass, for reuse and tests.
 */
export { measureLoadGeneratorCpu, runPass, type PassContext } from './benchmarkPass';
export { BenchmarkError } from './benchmarkError';
export { botProcessesCpuPerTurn, cpuDelta, cpuPerTurn, type CpuPerTurn, type CpuTime } from './cpuUsage';
export {
  benchBotEnv,
  startInProcessBot,
  type BotSettings,
  type BotUnderTest,
  type MeasurementWindow,
  type WindowFigures,
} from './botUnderTest';
export { freeLoopbackPort, startClusterBot, type ClusterBotSettings } from './clusterBot';
export {
  cpuBetween,
  parseProcStat,
  parseVmRssBytes,
  processTreeOf,
  ticksToMicros,
  type ProcStat,
} from './procStat';
export {
  clockTicksPerSecond,
  listProcessTree,
  readProcStat,
  readProcStats,
  readRssBytes,
} from './processTree';
export {
  LOOP_DELAY_DIR_ENV,
  parseWorkerLoopDelay,
  probeFileName,
  worstWorkerLoopDelay,
  type WorkerLoopDelay,
} from './workerLoopDelay';
export {
  capacityBounds,
  capacityBudgetMs,
  describeCapacityBounds,
  searchCapacity,
  type CapacityResult,
  type CapacityStepResult,
} from './capacityRun';
export {
  CAPACITY_LIMITS,
  capacityStepFailures,
  nextCapacityStep,
  roundRate,
  type CapacityBounds,
  type CapacityDecision,
  type CapacityLimits,
  type CapacityStep,
} from './capacitySearch';
export { Cleanups } from './cleanups';
export {
  conversationFigures,
  conversationMetrics,
  finalDelay,
  finalTextMatches,
  firstTextDelayAboveBound,
  informativeLatency,
  MAX_SENDS_PER_SECOND,
  MIN_SEND_GAP_MS,
  percentile,
  protocolFindings,
  rateFindings,
  ratio,
  rssPerStream,
  sendGaps,
  summarize,
  type ConversationFigures,
  type ConversationMetrics,
  type ConversationObservation,
  type ProtocolFindings,
  type RateFindings,
  type Summary,
} from './metrics';
export {
  scanForContent,
  startModelTimingProxy,
  type ModelTiming,
  type ModelTimingProxy,
} from './modelTiming';
export { informativeActivity, runFloorPass, type FloorResult } from './floorPass';
export {
  capacityStepConversations,
  capacityStepParameters,
  CLUSTER_IMPLEMENTATION,
  DEFAULT_PARAMETERS,
  finalsDeadlineMs,
  isClusterPass,
  parseParameters,
  PASS_IMPLEMENTATIONS,
  STREAM_IMPLEMENTATIONS,
  USAGE,
  wantsHelp,
  type BenchParameters,
  type PassImplementation,
  type StreamImplementation,
} from './parameters';
export { observe, postFailures } from './passObservations';
export type { PassResult } from './passResult';
export {
  buildReport,
  describeMachine,
  formatReport,
  writeReport,
  type BenchReport,
  type FigureRow,
  type MachineInfo,
  type ReportExtras,
} from './report';
export {
  startResourceMonitor,
  type MonitoredResources,
  type ResourceMonitor,
  type ResourceSummary,
} from './resourceMonitor';
export {
  answerText,
  conversationIdOf,
  createAnswerScript,
  expectedAnswerOf,
  findConversationIndex,
  questionOf,
  usesTool,
  type AnswerSettings,
} from './scriptedAnswers';
export { checkTargets, TARGETS, type TargetCheck } from './targets';
export {
  kindOf,
  startTimestampingConnector,
  type SendKind,
  type SendRecord,
  type TimestampingConnector,
} from './timestampingConnector';
