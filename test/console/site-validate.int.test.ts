import { readFileSync } from 'node:fs';
import { DEMO_SITE_URL } from '@wachtpost/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness, type RunningConsole } from '../support/console';

// POST /api/sites/validate checks a site model file for an admin (the admin's Sites page) and compares it with
// the loaded model of the same id; it replaces nothing (that needs WACHTPOST_SITES and a restart).

const demoYaml = readFileSync(DEMO_SITE_URL, 'utf8');

interface Valid {
  valid: true;
  siteId: string;
  wings: number;
  cells: number;
  sensors: number;
  differences: Record<'wings' | 'cells' | 'sensors', { added: string[]; removed: string[] }> | null;
}
interface Invalid {
  valid: false;
  errors: string[];
}

let h: ConsoleHarness;
let server: RunningConsole;
let admin: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  server = await h.startConsole();
  await h.addUser('olga', 'operator');
  await h.addUser('anna', 'analyst');
  admin = await h.login(server.base, 'admin');
});
afterAll(() => h?.close());

const validate = <T>(body: unknown, cookie = admin) =>
  h.api<T>(server.base, cookie, 'POST', '/api/sites/validate', body);

describe('POST /api/sites/validate', () => {
  it('accepts the demo model: counts, and no differences from the loaded demo site', async () => {
    const res = await validate<Valid>({ yaml: demoYaml });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, siteId: 'demo', wings: 5, cells: 132 });
    expect(res.body.sensors).toBeGreaterThan(0);
    const none = { added: [], removed: [] };
    expect(res.body.differences).toEqual({ wings: none, cells: none, sensors: none });

    const { rows } = await h.pool.query(
      "SELECT actor, target, detail FROM audit_log WHERE action = 'site-validate' ORDER BY id",
    );
    expect(rows).toEqual([
      {
        actor: 'admin',
        target: 'demo',
        detail: expect.objectContaining({ valid: true, wings: 5, cells: 132, loaded: true }),
      },
    ]);
  });

  it('names wings, cells and sensors added and removed against the loaded model', async () => {
    const changed = demoYaml
      // Wing c's cells become f-01..f-12 under a new wing id f; a sensor is renamed.
      .replace(/- id: c\n/, '- id: f\n')
      .replace(/\bc-(\d\d)\b/g, 'f-$1')
      .replace(/\[c\]/g, '[f]')
      .replace('[c, d]', '[f, d]')
      .replace('gsm-a-1,', 'gsm-a-9,');
    const res = await validate<Valid>({ yaml: changed });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.differences!.wings).toEqual({ added: ['f'], removed: ['c'] });
    expect(res.body.differences!.cells.added).toHaveLength(12);
    expect(res.body.differences!.cells.removed).toContain('c-01');
    expect(res.body.differences!.sensors).toEqual({ added: ['gsm-a-9'], removed: ['gsm-a-1'] });

    // Another id is a new site: nothing to compare with.
    const other = await validate<Valid>({ yaml: demoYaml.replace(/^id: demo$/m, 'id: other') });
    expect(other.body).toMatchObject({ valid: true, siteId: 'other', differences: null });
  });

  it('answers a broken model with its errors, each naming the bad path, and audits it', async () => {
    const broken = demoYaml.replace('cells: [a-01, a-02,', 'cells: [a-01, a-01,');
    const res = await validate<Invalid>({ yaml: broken });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    // a-02 is gone too, so the sensor that covers it names an unknown cell.
    expect(res.body.errors).toEqual([
      'wings[0].cells[1]: duplicate cell id "a-01"',
      'sensors[0].zoneIds[1]: unknown zone or cell "a-02"',
    ]);

    const notYaml = await validate<Invalid>({ yaml: 'id: [unclosed' });
    expect(notYaml.body.valid).toBe(false);
    expect(notYaml.body.errors[0]).toMatch(/^not valid YAML or JSON/);

    const { rows } = await h.pool.query(
      "SELECT target, detail FROM audit_log WHERE action = 'site-validate' AND detail->>'valid' = 'false' ORDER BY id",
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ target: null, detail: { valid: false, errors: 2 } });
  });

  it('refuses non-admins with 403 and bad bodies with 400, 413 or 415', async () => {
    for (const who of ['olga', 'anna']) {
      const cookie = await h.login(server.base, who);
      const res = await validate<{ error: string }>({ yaml: demoYaml }, cookie);
      expect(res.status, who).toBe(403);
      expect(res.body.error).toContain('sites:manage');
    }
    expect((await validate({ yaml: demoYaml }, '')).status).toBe(401);

    for (const bad of [{}, { yaml: 5 }, { yaml: 'id: x', extra: 1 }, 'not json', []]) {
      const res = await validate<{ error: string }>(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }

    // Above the 64 KiB default, up to 1 MiB, is accepted; more is not.
    const padded = demoYaml + `# ${'x'.repeat(900 * 1024)}\n`;
    expect((await validate<Valid>({ yaml: padded })).body.valid).toBe(true);
    const tooLarge = `# ${'x'.repeat(1024 * 1024)}\n`;
    expect((await validate({ yaml: tooLarge })).status).toBe(413);

    const res = await fetch(`${server.base}/api/sites/validate`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'text/yaml' },
      body: demoYaml,
    });
    expect(res.status).toBe(415);
  });
});
