import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { runServices } from './runtime';
import type { Service } from './service';

/** Runs one service as its own process (docker compose, a second ingest replica). Exits 1 with a reason on bad config. */
export async function runStandalone(service: Service): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  }
  const log = createLogger(config, service.name);
  try {
    await runServices([service], { config, log });
  } catch (err) {
    log.fatal({ err }, `${service.name} failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
}
