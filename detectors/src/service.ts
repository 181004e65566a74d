import type { Service } from '@wachtpost/platform';
import { DetectorsWorker } from './runtime/worker';

const detectors: Service = {
  name: 'detectors',
  async start({ nc, pool, sites, registry, log, config }) {
    const { batchSize, batchWaitMs, tickMs, snapshotEveryMs, params, expectSensors } = config.detectors;
    const worker = new DetectorsWorker({
      nc,
      pool,
      sites,
      registry,
      log: log.child({ service: 'detectors' }),
      batchSize,
      batchWaitMs,
      tickMs,
      snapshotEveryMs,
      ...(params && { detectorParams: params }),
      retentionMs: config.sensors.retentionMs,
      ackWaitMs: config.sensors.ackWaitMs,
      expectSensors,
    });
    await worker.start();
    return { stop: () => worker.stop(), ready: () => worker.ready() };
  },
};
export default detectors;
