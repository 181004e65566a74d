-- The detainee timeline counts GSM events per cell and hour: with the site and the exercise flag in the index,
-- that count is an index-only scan and never visits the heap (one random page per event on a busy cell).
DROP INDEX sensor_events_gsm_zone;
CREATE INDEX sensor_events_gsm_zone ON sensor_events (zone_id, observed_at) INCLUDE (site_id, exercise)
  WHERE kind = 'gsm';
