import { parseSiteModel, SiteModelError, type SiteModel } from '@wachtpost/contracts';
import { z } from 'zod';
import { audit } from '../audit';
import { HttpError, parseInput, readJson, sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { authorize } from './authorize';
import type { ApiContext } from './context';

/** The largest site model file accepted, in UTF-8 bytes. */
export const MAX_SITE_MODEL_BYTES = 1024 * 1024;
// JSON escaping grows the text (every newline becomes `\n`), so the body may be larger than the file it carries.
const MAX_SITE_BODY_BYTES = 2 * MAX_SITE_MODEL_BYTES;

const ValidateBody = z.strictObject({ yaml: z.string() });

export interface IdChanges {
  added: string[];
  removed: string[];
}

export interface SiteDifferences {
  wings: IdChanges;
  cells: IdChanges;
  sensors: IdChanges;
}

function changes(before: Iterable<string>, after: Iterable<string>): IdChanges {
  const old = new Set(before);
  const now = new Set(after);
  return {
    added: [...now].filter((id) => !old.has(id)).sort(),
    removed: [...old].filter((id) => !now.has(id)).sort(),
  };
}

/** Wings, cells and sensors added and removed (by id) from the loaded model `before` to `after`. */
export function siteDifferences(before: SiteModel, after: SiteModel): SiteDifferences {
  const cells = (s: SiteModel) => s.wings.flatMap((w) => w.cells);
  return {
    wings: changes(
      before.wings.map((w) => w.id),
      after.wings.map((w) => w.id),
    ),
    cells: changes(cells(before), cells(after)),
    sensors: changes(
      before.sensors.map((s) => s.id),
      after.sensors.map((s) => s.id),
    ),
  };
}

/**
 * Admin only: checks a site model file before it is deployed. Every service loads the models from
 * WACHTPOST_SITES at start, so nothing is replaced here; a model takes effect when its file is put there and the
 * services are restarted.
 */
export function siteRoutes(router: Router, api: ApiContext): void {
  router.on('POST', '/api/sites/validate', async (c) => {
    const admin = await authorize(api, c, 'sites:manage');
    const { yaml } = parseInput(ValidateBody, await readJson(c.req, MAX_SITE_BODY_BYTES), 'body');
    const bytes = Buffer.byteLength(yaml, 'utf8');
    if (bytes > MAX_SITE_MODEL_BYTES) {
      throw new HttpError(413, `the site model is larger than ${MAX_SITE_MODEL_BYTES} bytes`);
    }

    let site: SiteModel;
    try {
      site = parseSiteModel(yaml, 'upload');
    } catch (err) {
      if (!(err instanceof SiteModelError)) throw err;
      await audit(api.pool, {
        actor: admin.username,
        action: 'site-validate',
        ip: c.ip,
        detail: { valid: false, bytes, errors: err.problems.length },
      });
      sendJson(c.res, 200, { valid: false, errors: err.problems });
      return;
    }

    const loaded = api.sites.get(site.id)?.site;
    // null: no loaded model has this id, so the file would add a new site.
    const differences = loaded ? siteDifferences(loaded, site) : null;
    const counts = {
      wings: site.wings.length,
      cells: site.wings.reduce((n, w) => n + w.cells.length, 0),
      sensors: site.sensors.length,
    };
    await audit(api.pool, {
      actor: admin.username,
      action: 'site-validate',
      target: site.id,
      ip: c.ip,
      detail: { valid: true, bytes, ...counts, loaded: Boolean(loaded) },
    });
    sendJson(c.res, 200, { valid: true, siteId: site.id, name: site.name, ...counts, differences });
  });
}
