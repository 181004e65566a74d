export { IngestWorker, type IngestWorkerOptions } from './worker';
export { prepareBatch, placeOf, type RawMessage, type PreparedBatch, type AcceptedRow } from './prepare';
export { storeBatch, isDataError } from './store-batch';
export { insertRows } from './writer';
export { copyLine, copyText, SENSOR_EVENT_COLUMNS } from './copy-line';
export { ingestMetrics } from './metrics';
export { default as ingestService } from './service';
