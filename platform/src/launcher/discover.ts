import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Service } from '../service';

interface Manifest {
  name: string;
  wachtpost?: { service?: string; demo?: string };
}

function manifests(root: string): { dir: string; manifest: Manifest }[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
    .flatMap((d) => {
      try {
        const manifest = JSON.parse(readFileSync(join(root, d.name, 'package.json'), 'utf8')) as Manifest;
        return [{ dir: join(root, d.name), manifest }];
      } catch {
        return [];
      }
    });
}

/**
 * Every service the workspace declares (`"wachtpost": { "service": "./src/service.ts" }` in a package.json),
 * so a package added later joins `pnpm start` without the launcher importing it by name.
 */
export async function discoverServices(root: string): Promise<Service[]> {
  const found = manifests(root).filter(({ manifest }) => manifest.wachtpost?.service);
  const services = await Promise.all(
    found.map(async ({ dir, manifest }) => {
      const module = (await import(pathToFileURL(join(dir, manifest.wachtpost!.service!)).href)) as {
        default: Service;
      };
      return module.default;
    }),
  );
  return services.sort((a, b) => a.name.localeCompare(b.name));
}

/** The module that runs the realistic demo feed (`--demo`), declared by the simulator package. */
export async function discoverDemoFeed(root: string): Promise<unknown> {
  const found = manifests(root).find(({ manifest }) => manifest.wachtpost?.demo);
  if (!found) return undefined;
  return import(pathToFileURL(join(found.dir, found.manifest.wachtpost!.demo!)).href);
}
