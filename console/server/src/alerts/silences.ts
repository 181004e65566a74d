import type { Alert } from '@wachtpost/contracts';
import type { Logger } from '@wachtpost/platform';
import type { Pool, PoolClient } from 'pg';

export interface Silence {
  id: number;
  siteId: string;
  sensorId: string | null;
  rule: string | null;
  reason: string;
  createdBy: string;
  createdAt: string;
  until: string;
}

interface SilenceRow {
  id: string;
  site_id: string;
  sensor_id: string | null;
  rule: string | null;
  reason: string;
  created_by: string;
  created_at: Date;
  until: Date;
}

const toSilence = (r: SilenceRow): Silence => ({
  id: Number(r.id),
  siteId: r.site_id,
  sensorId: r.sensor_id,
  rule: r.rule,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  until: r.until.toISOString(),
});

const COLUMNS = 'id, site_id, sensor_id, rule, reason, created_by, created_at, until';

export async function insertSilence(
  db: PoolClient,
  s: { siteId: string; sensorId?: string; rule?: string; reason: string; by: string; untilMs: number },
): Promise<Silence> {
  const { rows } = await db.query<SilenceRow>(
    `INSERT INTO silences (site_id, sensor_id, rule, reason, created_by, until)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [s.siteId, s.sensorId ?? null, s.rule ?? null, s.reason, s.by, new Date(s.untilMs)],
  );
  return toSilence(rows[0]!);
}

export async function liftSilence(pool: Pool, id: number, by: string): Promise<Silence | undefined> {
  const { rows } = await pool.query<SilenceRow>(
    `UPDATE silences SET lifted_at = now(), lifted_by = $2 WHERE id = $1 AND lifted_at IS NULL AND until > now()
     RETURNING ${COLUMNS}`,
    [id, by],
  );
  return rows[0] && toSilence(rows[0]);
}

/**
 * The active silences, held in memory so every pushed alert can say whether it is silenced without a query.
 * Refreshed every few seconds (another console server may have added one) and at once after a local change.
 */
export class SilenceCache {
  private active: Silence[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly refreshMs = 5000,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.log.warn({ err }, 'could not refresh silences'));
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const { rows } = await this.pool.query<SilenceRow>(
      `SELECT ${COLUMNS} FROM silences WHERE lifted_at IS NULL AND until > now() ORDER BY id`,
    );
    this.active = rows.map(toSilence);
  }

  list(): Silence[] {
    const now = Date.now();
    return this.active.filter((s) => Date.parse(s.until) > now);
  }

  readonly isSilenced = (alert: Alert): boolean =>
    this.list().some(
      (s) =>
        s.siteId === alert.siteId &&
        (s.rule === alert.rule || (s.sensorId !== null && alert.sensorIds.includes(s.sensorId))),
    );
}
