// Times for the control room: 24-hour local time with seconds; the date only when it is not today.
const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === now.toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

// An RFC 3339 / ISO-8601 instant with a time and a zone (Z or ±hh:mm), as the detectors write into alert texts.
const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/**
 * An alert's title or summary with every ISO instant in it shown as `formatTime` shows times (local), so a
 * UTC time in the text does not read an hour or two off at night. The rest of the text stays as it is.
 */
export function localizeInstants(text: string, now = new Date()): string {
  return text.replace(INSTANT, (iso) => formatTime(iso, now));
}
