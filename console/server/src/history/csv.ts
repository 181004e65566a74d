import type { ServerResponse } from 'node:http';
import { utcOffsetMs } from '@wachtpost/contracts';

export type CsvValue = string | number | boolean | null | undefined | readonly string[];

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF, quotes doubled. Lists are joined with
 * `;` (ids never contain it); null and undefined are empty fields.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value as string | number | boolean);
  // Sensor and operator text reaches analysts' spreadsheets: a cell starting like a formula would run as one
  // (CSV injection), so such text gets a leading quote. Numbers, negative ones included, stay numbers.
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * An instant as the wall clock of `timeZone` shows it, `YYYY-MM-DD HH:MM:SS` (what spreadsheets read as a date and
 * time), for the `*_local` columns: the site's nights and weekdays as the analysts and the list on screen see
 * them. Empty when there is no instant or no zone. In the hour the clocks go back the same local time comes
 * twice; the UTC column beside it tells the two apart.
 */
export function localTime(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso || !timeZone) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  try {
    return new Date(t + utcOffsetMs(timeZone, t)).toISOString().slice(0, 19).replace('T', ' ');
  } catch {
    return ''; // a zone Intl does not know (site models are checked for it; this is a last guard)
  }
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvField).join(',')}\r\n`;

/** Waits until the socket takes more (or the client went away), so a large export never piles up in memory. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams a CSV attachment: the header row, then each batch as it comes. A failure after the first byte
 * destroys the connection, so the client sees a broken download instead of a file that merely looks complete.
 * Returns the number of data rows sent.
 */
export async function streamCsv<R>(
  res: ServerResponse,
  filename: string,
  header: readonly string[],
  batches: AsyncIterable<R[]>,
  toRecord: (row: R) => readonly CsvValue[],
): Promise<number> {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  let rows = 0;
  try {
    if (!res.write(csvLine(header))) await drained(res);
    for await (const batch of batches) {
      if (res.destroyed) break;
      let chunk = '';
      for (const row of batch) chunk += csvLine(toRecord(row));
      rows += batch.length;
      if (!res.write(chunk)) await drained(res);
    }
    res.end();
    return rows;
  } catch (err) {
    res.destroy(err as Error);
    throw err;
  }
}
