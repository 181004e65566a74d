import { readFileSync } from 'node:fs';

/** Why a file named on the command line cannot be used, in words rather than an errno code. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * One line naming what the file is for, the file and the problem, e.g. `cannot read the site model x.yaml: no
 * such file or directory`, in place of Node's `EISDIR: illegal operation on a directory, read`, which names
 * neither. Errors that are not about the file system pass through.
 */
export function fileError(action: 'read' | 'write', what: string, file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return err instanceof Error ? err : new Error(String(err));
  const reason = REASONS[code] ?? (err as Error).message;
  return new Error(`cannot ${action} the ${what} ${file}: ${reason}`);
}

/** Reads a text file named on the command line; fails with fileError. */
export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError('read', what, file, err);
  }
}
