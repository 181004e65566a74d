import type { Service } from '@wachtpost/platform';
import { IngestWorker } from './worker';

const ingest: Service = {
  name: 'ingest',
  async start({ nc, pool, sites, registry, log, config }) {
    const worker = new IngestWorker({
      nc,
      pool,
      sites,
      registry,
      log: log.child({ service: 'ingest' }),
      ...config.ingest,
      retentionMs: config.sensors.retentionMs,
      ackWaitMs: config.sensors.ackWaitMs,
    });
    await worker.start();
    return { stop: () => worker.stop(), ready: () => worker.ready() };
  },
};
export default ingest;
