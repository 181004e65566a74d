import type { SiteIndex } from '@wachtpost/contracts';
import type { Config, Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import type { AlertActions } from '../alerts/alert-actions';
import type { LoginRateLimit } from '../auth/rate-limit';
import type { SilenceCache } from '../alerts/silences';
import type { ConsoleMetrics } from '../metrics';

/** What the route modules share. */
export interface ApiContext {
  pool: Pool;
  config: Config;
  log: Logger;
  rateLimit: LoginRateLimit;
  actions: AlertActions;
  silences: SilenceCache;
  metrics: ConsoleMetrics;
  sites: ReadonlyMap<string, SiteIndex>;
  /** Ends the live sockets of a session or a user (logout, user disabled or deleted). */
  disconnect(room: string): void;
}
