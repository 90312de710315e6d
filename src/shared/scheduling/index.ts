export { FairShare, noCheckpoint, type Checkpoint, type FairShareOptions } from './fairShare';
