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
