import { formatTime } from '../format';
import type { AlertRevision } from '../types';

const DETAIL_KEYS = ['note', 'assignee', 'outcome', 'reason', 'sensorId', 'rule', 'until', 'durationMin'];

/**
 * When a revision raised from late evidence (a gateway forwarding its backlog) was published, and how many whole
 * minutes after the time it bears. Only for late ones: windowed rules always publish some minutes after their
 * evidence (the allowed lateness), which is no news.
 */
export function latePublication(
  rev: Pick<AlertRevision, 'updatedAt' | 'storedAt' | 'late'>,
): { at: string; delayMin: number } | undefined {
  if (!rev.late || !rev.storedAt) return undefined;
  const delayMin = Math.max(0, Math.floor((Date.parse(rev.storedAt) - Date.parse(rev.updatedAt)) / 60_000));
  return { at: rev.storedAt, delayMin };
}

/** Every revision, newest last, with the operator action (and its note) behind it. */
export function HistoryList({ history }: { history: readonly AlertRevision[] }) {
  if (history.length === 0) return <p className="muted">No history.</p>;
  return (
    <ol className="history">
      {history.map((h) => (
        <li key={h.rev} data-rev={h.rev}>
          <p>
            <strong>rev {h.rev}</strong> {h.change}{' '}
            <span className={`status status-${h.status}`}>{h.status}</span> {h.severity}{' '}
            <time dateTime={h.updatedAt}>{formatTime(h.updatedAt)}</time>
            {h.late && ' · from late evidence'}
            {h.late && h.storedAt && ` · published ${formatTime(h.storedAt)}`}
            {h.action && (
              <>
                {' '}
                by <strong>{h.action.actor}</strong>
              </>
            )}
          </p>
          {h.incomplete && <p className="muted">incomplete: {h.incomplete.join(', ')} offline or faulty</p>}
          {h.action && (
            <dl className="fields">
              {DETAIL_KEYS.filter((k) => h.action?.detail[k] !== undefined).map((k) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{String(h.action?.detail[k])}</dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}
