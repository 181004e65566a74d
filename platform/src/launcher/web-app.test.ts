import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webBuildReason } from './web-app';

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
