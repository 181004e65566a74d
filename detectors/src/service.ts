import type { Service } from '@wachtpost/platform';
import { checkDetectorParams } from './params';
import { DetectorsWorker, type DetectorsWorkerOptions } from './runtime/worker';

const detectors: Service = {
  name: 'detectors',
  async start({ nc, pool, sites, registry, log, config }) {
    const { batchSize, batchWaitMs, tickMs, snapshotEveryMs, params, expectSensors } = config.detectors;
    const serviceLog = log.child({ service: 'detectors' });
    if (params) checkDetectorParams(params, [...sites.keys()]);
    const options: DetectorsWorkerOptions = {
      nc,
      pool,
      sites,
      registry,
      log: serviceLog,
      batchSize,
      batchWaitMs,
      tickMs,
      snapshotEveryMs,
      ...(params && { detectorParams: params }),
      retentionMs: config.sensors.retentionMs,
      ackWaitMs: config.sensors.ackWaitMs,
      expectSensors,
      onStreamRecreated: () => void startAgain(),
    };
    let worker = new DetectorsWorker(options);
    let stopped = false;
    // A SENSORS stream created anew (a NATS server back without its store, pnpm start re-provisioning it)
    // numbers its messages from 1: a new worker restores the state the old one saved and reads it from there.
    let restarting = Promise.resolve();
    const startAgain = () =>
      (restarting = restarting
        .then(async () => {
          await worker.stop();
          if (stopped) return;
          worker = new DetectorsWorker(options);
          await worker.start();
          serviceLog.info('detectors started again on the new SENSORS stream');
        })
        .catch((err: unknown) => serviceLog.error({ err }, 'starting the detectors again failed')));
    await worker.start();
    return {
      stop: async () => {
        stopped = true;
        await restarting;
        await worker.stop();
      },
      ready: () => worker.ready(),
    };
  },
};
export default detectors;
