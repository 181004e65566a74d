import type { SiteIndex } from '@wachtpost/contracts';
import type { Registry } from 'prom-client';
import type { Config } from './config';
import type { Pool, StoragePath } from './database';
import type { HttpServer } from './http-server';
import type { Logger } from './logger';
import type { NatsConnection } from './nats';

/** What every service gets from the shared runtime of its process. */
export interface RuntimeContext {
  config: Config;
  log: Logger;
  nc: NatsConnection;
  pool: Pool;
  sites: ReadonlyMap<string, SiteIndex>;
  registry: Registry;
  http: HttpServer;
}

export interface RunningService {
  /** Stops taking work and finishes what is in flight. */
  stop(): Promise<void>;
  /** Throws with a reason when the service cannot do its job right now. */
  ready?(): Promise<void>;
}

/**
 * A unit of the system (ingest, detectors, console, ...). A package declares its service in package.json
 * (`"wachtpost": { "service": "./src/service.ts" }`) with this as the default export; `pnpm start` runs every
 * declared service in one process, and each can also run alone.
 */
export interface Service {
  name: string;
  start(ctx: RuntimeContext): Promise<RunningService>;
}

export type { StoragePath };
