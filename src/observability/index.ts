export { instruments, type Instruments } from './instruments';
export { ATTR, hashedId, INSTRUMENTATION_SCOPE, METRIC, SPAN } from './names';
export {
  ConnectorSendSpan,
  ModelCallSpan,
  traceStateLoad,
  traceTool,
  type RetryInfo,
  type ToolOutcome,
} from './spans';
export { startTelemetry, type RunningTelemetry } from './startTelemetry';
export {
  outcomeLabel,
  TurnTelemetry,
  turnTelemetryOf,
  type SentStreamType,
  type TurnOutcomeLabel,
} from './turnTelemetry';
