export { IngestWorker, type IngestWorkerOptions } from './worker';
export { prepareBatch, placeOf, type RawMessage, type PreparedBatch, type AcceptedRow } from './prepare';
export { storeBatch, isDataError } from './store-batch';
export { insertRows, copyText, SENSOR_EVENT_COLUMNS } from './writer';
export { ingestMetrics } from './metrics';
export { default as ingestService } from './service';
