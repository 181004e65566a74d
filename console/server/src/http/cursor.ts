import { z } from 'zod';
import { HttpError } from './respond';

const Key = z.tuple([z.string().min(1).max(64), z.string().min(1).max(200)]);

/** An opaque page cursor: base64url of the last row's sort key (its time as stored, then its id). */
export const encodeCursor = (time: string, id: string): string =>
  Buffer.from(JSON.stringify([time, id])).toString('base64url');

export function decodeCursor(cursor: string): { time: string; id: string } {
  try {
    const [time, id] = Key.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (Number.isNaN(Date.parse(time))) throw new Error('bad time');
    return { time, id };
  } catch {
    throw new HttpError(400, 'invalid query', [
      { path: 'cursor', message: 'is not a cursor this server issued' },
    ]);
  }
}

/**
 * Cuts a page from rows fetched with `limit + 1` (the extra row only says that more follow) and names the
 * cursor of the next page from the last row kept.
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => { time: string; id: string },
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length <= limit || !last) return { page, nextCursor: null };
  const { time, id } = keyOf(last);
  return { page, nextCursor: encodeCursor(time, id) };
}
