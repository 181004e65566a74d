-- Alerts as the detectors publish them (CONTRACT.md section 3). The detectors runtime writes every table here
-- in one transaction per batch; idempotent by alert id and rev, so a replay after a crash changes nothing.

-- The current state of every alert: one row per alert id, replaced only by a newer rev.
CREATE TABLE alerts (
  alert_id       text        PRIMARY KEY,
  rev            integer     NOT NULL,
  rule           text        NOT NULL,
  severity       text        NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  status         text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  site_id        text        NOT NULL,
  wing_id        text,
  exercise       boolean     NOT NULL,
  first_event_at timestamptz NOT NULL,
  last_event_at  timestamptz NOT NULL,
  opened_at      timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  stored_at      timestamptz NOT NULL DEFAULT now(),
  body           jsonb       NOT NULL
);
-- The console lists open alerts of a site, newest first, and filters by wing.
CREATE INDEX alerts_site_status ON alerts (site_id, status, updated_at DESC);
CREATE INDEX alerts_site_wing ON alerts (site_id, wing_id, updated_at DESC);

-- Every published revision, as published. `updated_at` is the revision's event time (the alert's updatedAt).
CREATE TABLE alert_history (
  alert_id          text        NOT NULL,
  rev               integer     NOT NULL,
  change            text        NOT NULL,
  previous_severity text,
  rule              text        NOT NULL,
  severity          text        NOT NULL,
  status            text        NOT NULL,
  site_id           text        NOT NULL,
  exercise          boolean     NOT NULL,
  -- Sensors offline or faulty during the alert's window (the correlation is incomplete), when any.
  incomplete        text[],
  late              boolean     NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL,
  stored_at         timestamptz NOT NULL DEFAULT now(),
  body              jsonb       NOT NULL
);

DO $$
BEGIN
  IF wachtpost_has_timescaledb() THEN
    -- A hypertable's unique keys must include its time column. A revision's updatedAt is derived from event
    -- time only, so a replay of the same revision carries the same updated_at and still conflicts.
    ALTER TABLE alert_history ADD PRIMARY KEY (alert_id, rev, updated_at);
    PERFORM create_hypertable('alert_history', 'updated_at', chunk_time_interval => INTERVAL '7 days');
    ALTER TABLE alert_history SET (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'site_id',
      timescaledb.compress_orderby = 'updated_at DESC'
    );
    -- Late evidence updates alerts for minutes, operators for days; a month-old chunk is closed.
    PERFORM add_compression_policy('alert_history', INTERVAL '30 days');
  ELSE
    ALTER TABLE alert_history ADD PRIMARY KEY (alert_id, rev);
  END IF;
END $$;

CREATE INDEX alert_history_site_time ON alert_history (site_id, updated_at DESC);

-- How alerts ended, for precision statistics per rule, sensor and zone or cell: confirmed by a search that
-- found a device, resolved by itself (sensor-offline) or by an operator.
CREATE TABLE alert_outcomes (
  alert_id    text        NOT NULL,
  rev         integer     NOT NULL,
  rule        text        NOT NULL,
  result      text        NOT NULL CHECK (result IN ('confirmed', 'auto', 'operator')),
  site_id     text        NOT NULL,
  wing_id     text,
  exercise    boolean     NOT NULL,
  search_id   text,
  event_id    text,
  -- The cell the device was found in (confirmed), and every cell and sensor the alert named.
  cell_id     text,
  cell_ids    text[]      NOT NULL,
  sensor_ids  text[]      NOT NULL,
  resolved_at timestamptz NOT NULL,
  PRIMARY KEY (alert_id, rev)
);
CREATE INDEX alert_outcomes_rule ON alert_outcomes (site_id, rule, resolved_at DESC);

-- Revisions committed but not yet published on ALERTS: published right after the commit and then deleted;
-- whatever a crash leaves here is published when the detectors start again (a transactional outbox).
CREATE TABLE alert_outbox (
  id       bigserial PRIMARY KEY,
  alert_id text      NOT NULL,
  rev      integer   NOT NULL,
  change   text      NOT NULL,
  subject  text      NOT NULL,
  -- The bytes to publish, exactly: a retry after a crash sends what the first attempt sent.
  body     text      NOT NULL
);

-- The detector engine's state per partition (the consumer it reads), and the SENSORS stream sequence and
-- clock input it covers. Stored as json, not jsonb: the text comes back exactly as written (key order
-- included), and a multi-megabyte document is cheaper to store when it is not parsed into jsonb.
CREATE TABLE detector_state (
  partition  text        PRIMARY KEY,
  stream_seq bigint      NOT NULL,
  clock_no   bigint      NOT NULL,
  state      json        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Clock inputs (the runtime's ticks and the first start's sensor expectations) applied since the last
-- snapshot, with the stream sequence they followed, so a replay after a crash repeats them in place.
CREATE TABLE detector_clock (
  partition text        NOT NULL,
  no        bigint      NOT NULL,
  after_seq bigint      NOT NULL,
  kind      text        NOT NULL CHECK (kind IN ('advance', 'expect')),
  site_id   text        NOT NULL,
  at        timestamptz NOT NULL,
  PRIMARY KEY (partition, no)
);
