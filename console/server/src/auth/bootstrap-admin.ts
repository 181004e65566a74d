import type { Logger } from '@wachtpost/platform';
import type { Pool } from 'pg';
import { audit } from '../audit';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { findCredentials, setAdminPassword } from './users';

/**
 * Makes sure user `admin` exists. With WACHTPOST_ADMIN_PASSWORD it gets that password (set again when it
 * changed). Without it, the first start creates the admin with a generated password and prints it once; later
 * starts leave it alone, so the printed password stays valid until someone changes it.
 */
export async function bootstrapAdmin(
  pool: Pool,
  configured: string | undefined,
  log: Logger,
  print: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const existing = await findCredentials(pool, 'admin');
  if (configured) {
    if (existing && !existing.disabled && (await verifyPassword(existing.passwordHash, configured))) return;
    await setAdminPassword(pool, configured);
    // A new password ends the admin's sessions, as every password change does: rotating a leaked one in the
    // environment must sign out whoever knew the old one.
    await pool.query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'admin')");
    await audit(pool, {
      actor: 'system',
      action: 'admin-password-set',
      target: 'admin',
      detail: { from: 'env' },
    });
    log.info('admin password set from WACHTPOST_ADMIN_PASSWORD');
    return;
  }
  if (existing) return;
  const password = generatePassword();
  // ON CONFLICT DO NOTHING: of two servers starting at once, only one creates (and prints) the password.
  const { rowCount } = await pool.query(
    `INSERT INTO users (username, password_hash, role) VALUES ('admin', $1, 'admin') ON CONFLICT DO NOTHING`,
    [await hashPassword(password)],
  );
  if (!rowCount) return;
  await audit(pool, {
    actor: 'system',
    action: 'admin-created',
    target: 'admin',
    detail: { from: 'generated' },
  });
  log.warn('created user admin with a generated password, printed once on stdout');
  print(
    `\n  Console admin created. User: admin  Password: ${password}\n` +
      '  (shown once; set another with WACHTPOST_ADMIN_PASSWORD or `pnpm --filter @wachtpost/console admin-password`)\n\n',
  );
}
