import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { childEnvironment } from '../config';
import type { Logger } from '../logger';

export const WEB_PACKAGE = '@wachtpost/console-web';
const BUILD_ARGS = ['--filter', WEB_PACKAGE, 'build'];

export class WebBuildError extends Error {}

/** The newest file under a path (a file or a folder, recursively), or undefined when there is none. */
function newest(path: string): { file: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const s = statSync(path);
  if (!s.isDirectory()) return { file: path, mtimeMs: s.mtimeMs };
  let best: { file: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const found = newest(join(path, entry));
    if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found;
  }
  return best;
}

/**
 * Why console/web/dist needs building, or undefined when it is up to date: dist/index.html missing, or older
 * than a file of src/, index.html or vite.config.ts.
 */
export function webBuildReason(webDir: string): string | undefined {
  const built = join(webDir, 'dist', 'index.html');
  if (!existsSync(built)) return `${relative(webDir, built)} is missing`;
  const builtAt = statSync(built).mtimeMs;
  for (const input of ['src', 'index.html', 'vite.config.ts']) {
    const found = newest(join(webDir, input));
    if (found && found.mtimeMs > builtAt)
      return `${relative(webDir, found.file)} changed since the last build`;
  }
  return undefined;
}

/**
 * Builds the console web app when its build is missing or stale (`pnpm --filter @wachtpost/console-web
 * build`), so `pnpm start` always serves the current app. Throws WebBuildError, with the build's last lines,
 * when the build fails.
 */
export async function ensureWebApp(root: string, log: Logger): Promise<void> {
  const webDir = join(root, 'console', 'web');
  if (!existsSync(join(webDir, 'package.json'))) return;
  const reason = webBuildReason(webDir);
  if (!reason) {
    log.debug('console web app is up to date');
    return;
  }
  const command = `pnpm ${BUILD_ARGS.join(' ')}`;
  log.info({ reason }, `building the console web app (${command})`);
  const started = Date.now();
  const { code, output } = await new Promise<{ code: number | string; output: string }>((resolve) => {
    let output = '';
    // The app served is a production build even when tests build it: under vitest's NODE_ENV=test, Vite bundles
    // React's development build (twice the size, slower), which `pnpm start` would then serve as up to date.
    const child = spawn('pnpm', BUILD_ARGS, {
      cwd: root,
      env: childEnvironment({ NODE_ENV: 'production' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (err) => resolve({ code: err.message, output }));
    child.once('close', (exit, signal) => resolve({ code: exit ?? signal ?? 'unknown', output }));
  });
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-25).join('\n');
    throw new WebBuildError(
      `Building the console web app failed (${command} exited with ${code}).\n${tail}\n` +
        `Fix the build (run \`${command}\` to see it alone), then start again.`,
    );
  }
  log.info({ ms: Date.now() - started }, 'console web app built (console/web/dist)');
}
