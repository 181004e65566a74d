import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTextFile } from '../file-errors';
import { parseScenario, type Scenario } from './schema';

/** The scenario files shipped with the simulator. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios', import.meta.url));

export function loadScenarioFile(file: string): Scenario {
  return parseScenario(readTextFile(file, 'scenario'), file);
}

export interface ScenarioListing {
  /** The file name without its extension: how the console names it. */
  id: string;
  file: string;
  name: string;
  description?: string;
  site: string;
  /** Why the file does not load, when it does not. */
  error?: string;
}

/** Every `.yaml`/`.yml` scenario of a folder, in name order; broken files are listed with their error. */
export function listScenarios(dir: string = SCENARIO_DIR): ScenarioListing[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const id = basename(f).replace(/\.ya?ml$/, '');
      try {
        const s = loadScenarioFile(file);
        return { id, file, name: s.name, site: s.site, ...(s.description && { description: s.description }) };
      } catch (err) {
        return { id, file, name: id, site: '', error: err instanceof Error ? err.message : String(err) };
      }
    });
}
