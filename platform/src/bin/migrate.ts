/** `pnpm migrate`: applies the database migrations and provisions the JetStream streams and consumers, then exits. */
import { ConfigError, loadConfig } from '../config';
import { migrate } from '../database';
import { provisionJetStream } from '../jetstream-setup';
import { createLogger } from '../logger';
import { connectNats } from '../nats';

try {
  const config = loadConfig();
  const log = createLogger(config, 'migrate');
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required for pnpm migrate');
  await migrate(config.databaseUrl, log);
  const nc = await connectNats(config, log, 'wachtpost-migrate');
  await provisionJetStream(nc, config, log);
  await nc.drain();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
