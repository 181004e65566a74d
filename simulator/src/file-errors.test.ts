import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { runRecord } from './run/record';
import { loadRecording } from './run/replay';
import { loadScenarioFile } from './scenario/files';
import { loadSiteFile } from './site-file';

describe('files named on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wachtpost-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const missing = join(dir, 'missing.yaml');
  const message = async (run: () => unknown) => {
    try {
      await run();
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };

  it('say in one line what the file is for, which it is and what is wrong with it', async () => {
    expect(await message(() => loadSiteFile(dir))).toBe(
      `cannot read the site model ${dir}: is a directory, not a file`,
    );
    expect(await message(() => loadSiteFile(missing))).toBe(
      `cannot read the site model ${missing}: no such file or directory`,
    );
    expect(await message(() => loadScenarioFile(dir))).toBe(
      `cannot read the scenario ${dir}: is a directory, not a file`,
    );
    expect(await message(() => loadRecording(dir))).toBe(
      `cannot read the recording ${dir}: is a directory, not a file`,
    );
    const out = join(dir, 'no-folder', 'night.ndjson');
    const nc = {} as NatsConnection;
    expect(await message(() => runRecord({ nc, out }))).toBe(
      `cannot write the recording ${out}: no such file or directory`,
    );
  });
});
