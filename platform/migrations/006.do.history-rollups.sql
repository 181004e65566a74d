-- The analysts' history: 15-minute rollups behind the charts, and the indexes the history queries need.
--
-- Both paths expose the same two relations with the same columns, so chart queries are one set of SQL:
--   sensor_events_15m (bucket, site_id, wing_id, kind, exercise, events)
--   alerts_15m        (bucket, site_id, wing_id, rule, severity, exercise, alerts)   -- alerts by opening time
-- 15 minutes is the finest chart step, and every time zone in use changes its offset on a quarter hour, so one
-- rollup serves every step and the local-time heatmaps (hour of day, weekday) stay exact across DST.
--
-- TimescaleDB: continuous aggregates, real-time (materialized_only = false: buckets not yet materialised are
-- computed from the raw rows at query time). The refresh policy re-materialises the last 8 days every
-- 15 minutes: ingest rejects events older than the SENSORS stream's retention (7 days) as `clock`, so no event
-- can land in an older bucket, and one day of margin covers a refresh that failed or ran late. The newest
-- 15 minutes are left to real-time aggregation (end_offset), so a refresh never materialises a bucket still filling.
--
-- Plain PostgreSQL: tables kept exact by statement-level AFTER INSERT triggers with transition tables: one
-- grouped upsert per INSERT or COPY statement (an ingest batch), in the writer's own transaction, so charts are
-- never stale, late events count the moment they commit, and nothing has to run beside the services. A
-- row-level trigger would cost one upsert per event; a periodic refresher would have to rescan the last 7 days
-- of raw rows (or index stored_at, a cost on every insert) to find late events.

DO $$
BEGIN
  IF wachtpost_has_timescaledb() THEN
    EXECUTE $q$
      CREATE MATERIALIZED VIEW sensor_events_15m
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT time_bucket(INTERVAL '15 minutes', observed_at) AS bucket, site_id, wing_id, kind, exercise,
             count(*) AS events
      FROM sensor_events
      GROUP BY 1, 2, 3, 4, 5
      WITH NO DATA $q$;
    EXECUTE $q$
      CREATE MATERIALIZED VIEW alerts_15m
      WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT time_bucket(INTERVAL '15 minutes', updated_at) AS bucket, site_id, body->>'wingId' AS wing_id, rule,
             severity, exercise, count(*) AS alerts
      FROM alert_history
      WHERE change = 'opened'
      GROUP BY 1, 2, 3, 4, 5, 6
      WITH NO DATA $q$;
    PERFORM add_continuous_aggregate_policy('sensor_events_15m', start_offset => INTERVAL '8 days',
      end_offset => INTERVAL '15 minutes', schedule_interval => INTERVAL '15 minutes');
    PERFORM add_continuous_aggregate_policy('alerts_15m', start_offset => INTERVAL '8 days',
      end_offset => INTERVAL '15 minutes', schedule_interval => INTERVAL '15 minutes');
    CREATE INDEX sensor_events_15m_site ON sensor_events_15m (site_id, wing_id, bucket);
    CREATE INDEX alerts_15m_site ON alerts_15m (site_id, bucket);
  ELSE
    CREATE TABLE sensor_events_15m (
      bucket   timestamptz NOT NULL,
      site_id  text        NOT NULL,
      wing_id  text,
      kind     text        NOT NULL,
      exercise boolean     NOT NULL,
      events   bigint      NOT NULL,
      CONSTRAINT sensor_events_15m_key UNIQUE NULLS NOT DISTINCT (site_id, bucket, wing_id, kind, exercise)
    );
    CREATE INDEX sensor_events_15m_site ON sensor_events_15m (site_id, wing_id, bucket);
    CREATE TABLE alerts_15m (
      bucket   timestamptz NOT NULL,
      site_id  text        NOT NULL,
      wing_id  text,
      rule     text        NOT NULL,
      severity text        NOT NULL,
      exercise boolean     NOT NULL,
      alerts   bigint      NOT NULL,
      CONSTRAINT alerts_15m_key UNIQUE NULLS NOT DISTINCT (site_id, bucket, wing_id, rule, severity, exercise)
    );

    -- Rows are upserted in key order, so two writers touching the same buckets lock them in the same order and
    -- cannot deadlock; a writer waits at most for the other's commit.
    CREATE FUNCTION wachtpost_rollup_sensor_events() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      INSERT INTO sensor_events_15m AS r (site_id, bucket, wing_id, kind, exercise, events)
      SELECT site_id, date_bin(INTERVAL '15 minutes', observed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), wing_id,
             kind, exercise, count(*)
      FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT ON CONSTRAINT sensor_events_15m_key DO UPDATE SET events = r.events + excluded.events;
      RETURN NULL;
    END $f$;
    CREATE FUNCTION wachtpost_rollup_alerts() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      INSERT INTO alerts_15m AS r (site_id, bucket, wing_id, rule, severity, exercise, alerts)
      SELECT site_id, date_bin(INTERVAL '15 minutes', updated_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
             body->>'wingId', rule, severity, exercise, count(*)
      FROM new_rows WHERE change = 'opened' GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
      ON CONFLICT ON CONSTRAINT alerts_15m_key DO UPDATE SET alerts = r.alerts + excluded.alerts;
      RETURN NULL;
    END $f$;

    -- Trigger first, then the backfill: the trigger's lock holds writers back until this migration commits,
    -- and the backfill's snapshot, taken after it, sees every row committed before.
    CREATE TRIGGER sensor_events_rollup AFTER INSERT ON sensor_events
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wachtpost_rollup_sensor_events();
    CREATE TRIGGER alert_history_rollup AFTER INSERT ON alert_history
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wachtpost_rollup_alerts();
    INSERT INTO sensor_events_15m (site_id, bucket, wing_id, kind, exercise, events)
    SELECT site_id, date_bin(INTERVAL '15 minutes', observed_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), wing_id,
           kind, exercise, count(*)
    FROM sensor_events GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO alerts_15m (site_id, bucket, wing_id, rule, severity, exercise, alerts)
    SELECT site_id, date_bin(INTERVAL '15 minutes', updated_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),
           body->>'wingId', rule, severity, exercise, count(*)
    FROM alert_history WHERE change = 'opened' GROUP BY 1, 2, 3, 4, 5, 6;
  END IF;
END $$;

-- History queries. Partial indexes cover only the kinds they serve, so most ingested rows (heartbeats, drone
-- updates) pay nothing for them.
-- A detainee's placements (roster events name one detainee each).
CREATE INDEX sensor_events_roster_detainee ON sensor_events ((body->>'detaineeId'), observed_at)
  WHERE kind = 'roster';
-- Searches by cell (a search names several cells, so zone_id is empty for most) and by occupant.
CREATE INDEX sensor_events_search_cells ON sensor_events USING gin ((body->'cellIds'))
  WHERE kind = 'search';
CREATE INDEX sensor_events_search_time ON sensor_events (site_id, observed_at DESC) WHERE kind = 'search';
-- GSM activity in a cell or zone over time (the detainee timeline, the cell filter).
CREATE INDEX sensor_events_gsm_zone ON sensor_events (zone_id, observed_at) WHERE kind = 'gsm';

-- Alerts by the time they were raised, and by the detainees they name.
CREATE INDEX alerts_site_opened ON alerts (site_id, opened_at DESC, alert_id DESC);
CREATE INDEX alerts_detainees ON alerts USING gin ((body->'detaineeIds'));
CREATE INDEX alerts_cells ON alerts USING gin ((body->'cellIds'));
