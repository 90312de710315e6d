/** Data hygiene: the scheduled retention job (RETENTION_DAYS) and deleting one person's data (npm run forget). */
export { forgetUser, type ForgetCounts, type ForgetStores } from './forgetUser';
export {
  RETENTION_INTERVAL_MS,
  startRetentionJob,
  type RetentionJob,
  type RetentionJobOptions,
} from './retentionJob';
export {
  retentionCutoff,
  sweepExpiredData,
  type RetentionCounts,
  type RetentionStores,
} from './retentionSweep';
