-- Every accepted sensor event, once. The body is the validated event (defaults applied, bearings
-- normalised); the columns beside it are what queries filter on.
CREATE TABLE sensor_events (
  event_id    text        NOT NULL,
  site_id     text        NOT NULL,
  kind        text        NOT NULL,
  sensor_id   text        NOT NULL,
  observed_at timestamptz NOT NULL,
  seq         bigint,
  exercise    boolean     NOT NULL,
  wing_id     text,
  zone_id     text,
  stream_seq  bigint      NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  body        jsonb       NOT NULL
);

DO $$
BEGIN
  IF wachtpost_has_timescaledb() THEN
    -- A hypertable's unique keys must include its time column. A repeat of an eventId carries the same
    -- observedAt, so (event_id, observed_at) still stores each event once.
    ALTER TABLE sensor_events ADD PRIMARY KEY (event_id, observed_at);
    PERFORM create_hypertable('sensor_events', 'observed_at', chunk_time_interval => INTERVAL '1 day');
    ALTER TABLE sensor_events SET (
      timescaledb.compress,
      timescaledb.compress_segmentby = 'site_id, kind',
      timescaledb.compress_orderby = 'observed_at DESC'
    );
    -- Late events arrive within minutes; a week-old chunk is closed and compresses well.
    PERFORM add_compression_policy('sensor_events', INTERVAL '7 days');
    PERFORM add_retention_policy('sensor_events', INTERVAL '400 days');
  ELSE
    ALTER TABLE sensor_events ADD PRIMARY KEY (event_id);
  END IF;
END $$;

CREATE INDEX sensor_events_site_time ON sensor_events (site_id, observed_at DESC);

-- Messages that broke the contract, with their raw bytes, so nothing is silently lost.
CREATE TABLE rejected_events (
  id          bigserial   PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  stream_seq  bigint      NOT NULL,
  subject     text        NOT NULL,
  reason      text        NOT NULL CHECK (reason IN ('json', 'schema', 'subject', 'site', 'zone', 'clock', 'size')),
  detail      text        NOT NULL,
  event_id    text,
  raw         bytea       NOT NULL
);
-- A redelivered message is the same stream sequence with the same bytes; a recreated stream reusing a
-- sequence number carries other bytes and is still stored.
CREATE UNIQUE INDEX rejected_events_message ON rejected_events (stream_seq, md5(raw));
CREATE INDEX rejected_events_time ON rejected_events (received_at DESC);
