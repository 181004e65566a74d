export { DetectorsWorker, type DetectorsWorkerOptions } from './worker';
export { Correlator, type FeedOutcome, type FeedResult, type Restored, type Snapshot } from './correlator';
export { detectorMetrics, type DetectorMetrics } from './metrics';
export type { ClockInput } from './clock-input';
export type { OutboxRow, UnitOfWork } from './unit-of-work';
