// Site model checks (console/server/README.md: POST /api/sites/validate), through the app's client.
import { request } from '../api';

/** The server's limit on a site model file (UTF-8 bytes). */
export const MAX_SITE_MODEL_BYTES = 1024 * 1024;

export interface IdChanges {
  added: string[];
  removed: string[];
}

export type SiteValidation =
  | {
      valid: true;
      siteId: string;
      name: string;
      wings: number;
      cells: number;
      sensors: number;
      /** Against the loaded model of the same id; null when none is loaded (a new site). */
      differences: Record<'wings' | 'cells' | 'sensors', IdChanges> | null;
    }
  | { valid: false; errors: string[] };

export const validateSite = (yaml: string) =>
  request<SiteValidation>('POST', '/api/sites/validate', { yaml });

/** True when the differences add or remove nothing. */
export const unchanged = (d: Record<string, IdChanges>): boolean =>
  Object.values(d).every((c) => c.added.length === 0 && c.removed.length === 0);
