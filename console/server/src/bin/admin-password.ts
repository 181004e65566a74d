/**
 * Sets the console admin's password (creating user `admin` when missing):
 *   tsx console/server/src/bin/admin-password.ts            (asks on the terminal, or reads one line from stdin)
 *   tsx console/server/src/bin/admin-password.ts --generate (prints a new random one)
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, createPool, loadConfig, migrate } from '@wachtpost/platform';
import { audit } from '../audit';
import { generatePassword } from '../auth/passwords';
import { Password, setAdminPassword } from '../auth/users';

const { values } = parseArgs({ options: { generate: { type: 'boolean', default: false } } });

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
if (!config.databaseUrl) {
  console.error('DATABASE_URL is not set: point it at the database the console uses');
  process.exit(1);
}

let password: string;
if (values.generate) {
  password = generatePassword();
} else {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  password = (await rl.question('New admin password (12+ characters): ')).trim();
  rl.close();
}
const valid = Password.safeParse(password);
if (!valid.success) {
  console.error(`password ${valid.error.issues[0]?.message ?? 'is invalid'}`);
  process.exit(1);
}

const log = createLogger({ ...config, log: { ...config.log, level: 'warn' } });
await migrate(config.databaseUrl, log);
const pool = createPool(config, config.databaseUrl, log);
try {
  await setAdminPassword(pool, password);
  await audit(pool, { actor: 'cli', action: 'admin-password-set', target: 'admin' });
  // Existing admin sessions end: whoever knew the old password is signed out.
  await pool.query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'admin')");
} finally {
  await pool.end();
}
console.log(values.generate ? `admin password set: ${password}` : 'admin password set');
