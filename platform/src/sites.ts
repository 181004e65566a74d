import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { indexSite, parseSiteModel, SiteModelError, type SiteIndex } from '@wachtpost/contracts';

const SITE_FILE = new Set(['.yaml', '.yml', '.json']);

/**
 * Loads one site model file, or every .yaml/.yml/.json file of a folder, and indexes them by site id.
 * A bad file fails start-up with its path and the bad field's path.
 */
export function loadSites(path: string): Map<string, SiteIndex> {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => SITE_FILE.has(extname(f)))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (err) {
    throw new SiteModelError(path, [`cannot read: ${(err as Error).message}`]);
  }
  if (files.length === 0)
    throw new SiteModelError(path, ['no .yaml, .yml or .json site model files in this folder']);
  const sites = new Map<string, SiteIndex>();
  for (const file of files) {
    const site = parseSiteModel(readFileSync(file, 'utf8'), file);
    if (sites.has(site.id)) throw new SiteModelError(file, [`id: site "${site.id}" is defined twice`]);
    sites.set(site.id, indexSite(site));
  }
  return sites;
}
