import { memo } from 'react';
import { formatTime, localizeInstants } from '../format';
import { alertHref, followLink, navigate } from '../router';
import type { AlertEntry } from '../types';
import { ExerciseBadge, SeverityBadge } from './severity-badge';

/** One board row: a link to the detail page, focusable, opened by click or Enter. */
export const AlertRow = memo(function AlertRow({
  entry,
  fresh,
  wing,
}: {
  entry: AlertEntry;
  fresh: boolean;
  /** The wing's name (see wingLabel). */
  wing: string;
}) {
  const { alert, console: c } = entry;
  const href = alertHref(alert.alertId);
  return (
    <a
      href={href}
      className={`row row-${alert.status} row-sev-${alert.severity}${fresh ? ' row-fresh' : ''}`}
      data-alert-id={alert.alertId}
      data-status={alert.status}
      data-severity={alert.severity}
      data-rev={alert.rev}
      data-fresh={fresh || undefined}
      onClick={(e) => followLink(e, href)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          navigate(href);
        }
      }}
    >
      <SeverityBadge severity={alert.severity} />
      <span className="row-main">
        <span className="row-title">
          {fresh && <span className="new-flag">NEW</span>}
          {localizeInstants(alert.title)}
        </span>
        <span className="row-meta">
          <span className="row-rule">{alert.rule}</span>
          <span>
            {alert.siteId} / {wing}
          </span>
          {alert.cellIds.length > 0 && <span>cells {alert.cellIds.join(', ')}</span>}
          {c.assignee && <span>assigned {c.assignee}</span>}
          {c.silenced && <span className="silenced">silenced</span>}
        </span>
      </span>
      {alert.exercise && <ExerciseBadge />}
      <span className={`status status-${alert.status}`}>{alert.status}</span>
      <time className="row-time" dateTime={alert.lastEventAt}>
        {formatTime(alert.lastEventAt)}
      </time>
    </a>
  );
});
