import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { ensureWebApp, WebBuildError, webBuildReason } from './web-app';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function webDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wachtpost-web-build-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src', 'board'), { recursive: true });
  for (const file of ['index.html', 'vite.config.ts', 'src/main.tsx', 'src/board/board.tsx'])
    writeFileSync(join(dir, file), '');
  return dir;
}

const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

describe('webBuildReason', () => {
  it('asks for a build when dist/index.html is missing', () => {
    expect(webBuildReason(webDir())).toBe('dist/index.html is missing');
  });

  it('is satisfied by a build newer than every input, and names the input that changed after it', () => {
    const dir = webDir();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), '');
    for (const file of ['index.html', 'vite.config.ts', 'src/main.tsx', 'src/board/board.tsx'])
      at(join(dir, file), 1_000);
    at(join(dir, 'dist', 'index.html'), 2_000);
    expect(webBuildReason(dir)).toBeUndefined();

    at(join(dir, 'src', 'board', 'board.tsx'), 3_000);
    expect(webBuildReason(dir)).toBe('src/board/board.tsx changed since the last build');
    at(join(dir, 'src', 'board', 'board.tsx'), 1_000);
    at(join(dir, 'vite.config.ts'), 3_000);
    expect(webBuildReason(dir)).toBe('vite.config.ts changed since the last build');
  });
});

/** A workspace of its own whose web package's build script is `script`. */
function workspace(script: string): string {
  const root = mkdtempSync(join(tmpdir(), 'wachtpost-web-ws-'));
  dirs.push(root);
  mkdirSync(join(root, 'console', 'web', 'src'), { recursive: true });
  writeFileSync(join(root, 'pnpm-workspace.yaml'), "packages: ['console/*']\n");
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'ws', private: true }));
  writeFileSync(
    join(root, 'console', 'web', 'package.json'),
    JSON.stringify({ name: '@wachtpost/console-web', private: true, scripts: { build: script } }),
  );
  writeFileSync(join(root, 'console', 'web', 'src', 'main.tsx'), '');
  return root;
}

const quiet = createLogger({ log: { level: 'silent', pretty: false } });

describe('ensureWebApp', () => {
  it('runs the build when dist is missing', async () => {
    const root = workspace('mkdir -p dist && echo built > dist/index.html');
    await ensureWebApp(root, quiet);
    expect(webBuildReason(join(root, 'console', 'web'))).toBeUndefined();
  }, 60_000);

  it('builds for production whatever NODE_ENV the caller runs under (vitest sets test)', async () => {
    const root = workspace('mkdir -p dist && echo "$NODE_ENV" > dist/env && echo built > dist/index.html');
    await ensureWebApp(root, quiet);
    expect(readFileSync(join(root, 'console', 'web', 'dist', 'env'), 'utf8').trim()).toBe('production');
  }, 60_000);

  it('fails with the build output and the command when the build fails', async () => {
    const root = workspace('echo "src/board.tsx: Unexpected token" >&2; exit 3');
    const failure = await ensureWebApp(root, quiet).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WebBuildError);
    expect((failure as Error).message).toContain('Building the console web app failed');
    expect((failure as Error).message).toContain('src/board.tsx: Unexpected token');
    expect((failure as Error).message).toContain('pnpm --filter @wachtpost/console-web build');
  }, 60_000);
});
