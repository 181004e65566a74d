import { formatTime } from '../format';
import type { AlertRevision } from '../types';

const DETAIL_KEYS = ['note', 'assignee', 'outcome', 'reason', 'sensorId', 'rule', 'until', 'durationMin'];

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
            {h.action && (
              <>
                {' '}
                by <strong>{h.action.actor}</strong>
              </>
            )}
          </p>
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
