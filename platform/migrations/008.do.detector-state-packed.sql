-- Engine snapshots are written compressed by the detectors (tens of MB of JSON under load): as json, PostgreSQL
-- parsed and pglz-compressed every one, and its WAL delayed the commits of alerts written meanwhile. Stored
-- EXTERNAL, since the bytes are compressed already. A row written by an earlier version keeps its json state.
ALTER TABLE detector_state ALTER COLUMN state DROP NOT NULL;
ALTER TABLE detector_state ADD COLUMN packed bytea;
ALTER TABLE detector_state ALTER COLUMN packed SET STORAGE EXTERNAL;
ALTER TABLE detector_state ADD CONSTRAINT detector_state_has_state CHECK (state IS NOT NULL OR packed IS NOT NULL);
