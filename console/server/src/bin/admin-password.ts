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

/**
 * One line typed on the terminal, not echoed (someone may stand behind you in a control room), or the first line
 * of piped stdin.
 */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin, terminal: false });
    const line = await rl.question('');
    rl.close();
    return line;
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  const typed = await new Promise<string>((resolve) => {
    let text = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        text = ch === '\u007f' || ch === '\b' ? text.slice(0, -1) : text + ch;
      }
    };
    const done = (text: string) => {
      stdin.off('data', onData);
      resolve(text);
    };
    stdin.on('data', onData);
  });
  stdin.setRawMode(false);
  stdin.pause();
  process.stderr.write('\n');
  return typed;
}

const password = values.generate
  ? generatePassword()
  : (await readPassword('New admin password (12+ characters, not shown): ')).trim();
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
