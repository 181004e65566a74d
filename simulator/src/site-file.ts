import { fileURLToPath } from 'node:url';
import { DEMO_SITE_URL, parseSiteModel, type SiteModel } from '@wachtpost/contracts';
import { readTextFile } from './file-errors';

export const DEMO_SITE_FILE = fileURLToPath(DEMO_SITE_URL);

/** Reads and validates a site model file (YAML or JSON); errors name the file and the bad path. */
export function loadSiteFile(file: string = DEMO_SITE_FILE): SiteModel {
  return parseSiteModel(readTextFile(file, 'site model'), file);
}
