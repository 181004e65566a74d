-- TimescaleDB when this server has it (production, docker compose); plain PostgreSQL otherwise.
-- Later migrations ask wachtpost_has_timescaledb() which path to take, so one set of files serves both.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXCEPTION WHEN OTHERS THEN
      -- Installed but not in shared_preload_libraries, for example: stay on the plain path.
      RAISE NOTICE 'timescaledb is available but could not be created (%); using plain PostgreSQL', SQLERRM;
    END;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION wachtpost_has_timescaledb() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') $$;
