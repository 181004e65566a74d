import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, REPO_ROOT } from '@wachtpost/platform';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml cannot run here (no Docker engine); these checks keep it in step with the configuration
// the services read, so a variable documented in the README is never silently dropped by compose.

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, { environment?: Record<string, string> }>;
};
const environmentOf = (service: string) => Object.keys(compose.services[service]?.environment ?? {});

/** Set per service in docker-compose.yml, not from .env for all. */
const PER_SERVICE = new Set(['NATS_USER', 'NATS_PASSWORD']);
/** Console settings, given to the console only. */
const CONSOLE_ONLY = new Set([
  'WACHTPOST_ADMIN_PASSWORD',
  'CONSOLE_SECURE_COOKIES',
  'CONSOLE_TRUSTED_PROXIES',
  'SIMULATOR_NATS_USER',
  'SIMULATOR_NATS_PASSWORD',
]);
/** Meaningless in a container: the embedded servers' data folder (pnpm start), terminal colours. */
const NOT_IN_CONTAINERS = new Set(['WACHTPOST_DATA_DIR', 'LOG_PRETTY']);

describe('docker-compose.yml and .env.example', () => {
  it('pass every setting the services read to the services that read it', () => {
    const shared = CONFIG_VARIABLES.filter(
      (v) => !PER_SERVICE.has(v) && !CONSOLE_ONLY.has(v) && !NOT_IN_CONTAINERS.has(v),
    );
    for (const service of ['migrate', 'ingest', 'detectors', 'console']) {
      const env = environmentOf(service);
      expect({ service, missing: shared.filter((v) => !env.includes(v)) }).toEqual({ service, missing: [] });
      expect(env).toEqual(expect.arrayContaining(['NATS_USER', 'NATS_PASSWORD']));
    }
    expect(environmentOf('console')).toEqual(expect.arrayContaining([...CONSOLE_ONLY]));
  });

  it('give the Simulator page the simulator user, whose password the NATS server also gets', () => {
    const consoleEnv = compose.services.console!.environment!;
    expect(consoleEnv.SIMULATOR_NATS_USER).toBe('simulator');
    expect(consoleEnv.SIMULATOR_NATS_PASSWORD).toMatch(/^\$\{SIMULATOR_NATS_PASSWORD:\?/);
    expect(environmentOf('nats')).toContain('SIMULATOR_NATS_PASSWORD');
  });

  it('name in .env.example every variable docker-compose.yml takes from .env', () => {
    const example = read('.env.example');
    const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!));
    const documented = (name: string) => new RegExp(`^#? ?${name}=`, 'm').test(example);
    expect([...used].filter((name) => !documented(name))).toEqual([]);
  });
});
