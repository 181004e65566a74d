import type { NatsConnection } from '@nats-io/transport-node';
import type { SiteModel } from '@wachtpost/contracts';
import { faultCatalogue } from '../messages/fault-catalogue';
import type { FaultKind, Outcome } from '../messages/faults';
import { createPublisher, type PublishStats } from '../nats/publisher';
import { systemClock, type Clock } from './pacer';

export interface FaultsOptions {
  nc: NatsConnection;
  site: SiteModel;
  seed: number;
  kinds: readonly FaultKind[];
  count: number;
  exercise?: boolean;
  core?: boolean;
  window?: number;
  clock?: Clock;
}

export interface FaultsSummary extends PublishStats {
  command: 'faults';
  messages: { fault: FaultKind; subject: string; eventId: string; bytes: number; expect: Outcome }[];
}

/** Sends each fault once (or `count` times) and lists what the receiving side should do with each. */
export async function runFaults(options: FaultsOptions): Promise<FaultsSummary> {
  const clock = options.clock ?? systemClock;
  const entries = faultCatalogue(
    options.site,
    options.seed,
    clock.now(),
    options.kinds,
    options.count,
    options.exercise,
  );
  // One at a time and in order: a reordered pair must arrive in the order given.
  const publisher = createPublisher(options.nc, {
    ...(options.core !== undefined && { core: options.core }),
    window: 1,
  });
  for (const { message } of entries) await publisher.publish(message);
  const stats = await publisher.flush();
  return {
    command: 'faults',
    ...stats,
    messages: entries.map((e) => ({
      fault: e.fault,
      subject: e.message.subject,
      eventId: e.eventId,
      bytes: e.message.data.byteLength,
      expect: e.expect,
    })),
  };
}
