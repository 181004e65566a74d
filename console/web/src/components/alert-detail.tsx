import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiError } from '../api';
import { asApiError } from '../alert-feed';
import { wingLabel } from '../board-logic';
import { pilotPosition } from '../evidence-fields';
import { useFeed, useFeedState, useSession, useStoreVersion } from '../feed-context';
import { formatTime, localizeInstants } from '../format';
import type { AlertDetail as Detail, AlertEntry, AlertRevision, SensorEvent } from '../types';
import { AlertActions } from './alert-actions';
import { ErrorMessage } from './error-message';
import { EvidenceTimeline } from './evidence-timeline';
import { HistoryList, latePublication } from './history-list';
import { Link } from './link';
import { ExerciseBadge, SeverityBadge } from './severity-badge';
import { SitePlan } from './site-plan';

export function AlertDetailPage({ alertId }: { alertId: string }) {
  const feed = useFeed();
  const session = useSession();
  const { sites } = useFeedState(feed);
  useStoreVersion(feed);
  const [detail, setDetail] = useState<Detail>();
  const [events, setEvents] = useState<SensorEvent[]>();
  const [error, setError] = useState<ApiError>();
  const [evidenceError, setEvidenceError] = useState<ApiError>();
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    api.alert(alertId).then(
      (d) => {
        if (!current) return;
        setDetail(d);
        setError(undefined);
        feed.store.load([d]);
      },
      (err: unknown) => current && setError(asApiError(err)),
    );
    api.evidence(alertId).then(
      (r) => {
        if (!current) return;
        setEvents(r.events);
        setEvidenceError(undefined);
      },
      (err: unknown) => current && setEvidenceError(asApiError(err)),
    );
    return () => {
      current = false;
    };
  }, [alertId, reloads, feed]);

  // Opening an alert is seeing it: the board's highlight goes, and its row takes the focus back on return.
  useEffect(() => {
    feed.store.seen(alertId);
    feed.board.lastOpened = alertId;
  }, [feed, alertId]);

  // The focus starts on the title, so from the keyboard the next Tab is the first action, not the menu.
  const title = useRef<HTMLHeadingElement>(null);
  const loaded = detail !== undefined;
  useEffect(() => {
    if (loaded) title.current?.focus({ preventScroll: true });
  }, [loaded]);

  // Keep the page live: a newer revision pushed to the board reloads the detail and its history.
  const liveRev = feed.store.get(alertId)?.alert.rev;
  const asked = useRef(0);
  useEffect(() => {
    if (detail && liveRev !== undefined && liveRev > detail.alert.rev && asked.current < liveRev) {
      asked.current = liveRev;
      reload();
    }
  }, [liveRev, detail, reload]);

  // Escape goes back to the board.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key === 'Escape' && !t?.closest('input, textarea, select')) window.history.back();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onDone = useCallback(
    (entry: AlertEntry) => {
      setDetail((d) => (d ? { ...d, ...entry } : d));
      feed.store.load([entry]);
      reload();
    },
    [feed, reload],
  );

  if (!detail) {
    return (
      <section className="detail">
        <p>
          <Link href="/">Back to the board</Link>
        </p>
        {error ? <ErrorMessage error={error} prefix="Loading the alert failed" /> : <p>Loading alert…</p>}
      </section>
    );
  }

  const { alert, console: c, history } = detail;
  const site = sites.find((s) => s.id === alert.siteId);
  const pilot = events && pilotPosition(events);
  return (
    <article className={`detail detail-${alert.severity}`} aria-labelledby="alert-title">
      <p className="crumbs">
        <Link href="/">Back to the board</Link>
      </p>
      <header className="detail-head">
        <SeverityBadge severity={alert.severity} />
        <h1 id="alert-title" ref={title} tabIndex={-1}>
          {localizeInstants(alert.title)}
        </h1>
        {alert.exercise && <ExerciseBadge />}
        <span className={`status status-${alert.status}`} data-testid="alert-status">
          {alert.status}
        </span>
      </header>
      <ErrorMessage error={error} prefix="Reloading the alert failed" />
      <p className="summary">{localizeInstants(alert.summary)}</p>
      <dl className="facts">
        <Fact k="Alert id" v={alert.alertId} />
        <Fact k="Rule" v={alert.rule} />
        <Fact k="Site" v={site ? `${site.name} (${alert.siteId})` : alert.siteId} />
        <Fact k="Wing" v={alert.wingId ? `${wingLabel(alert, sites)} (${alert.wingId})` : 'site-wide'} />
        <Fact k="Revision" v={String(alert.rev)} />
        <Fact k="Events" v={String(alert.count)} />
        <Fact k="First event" v={formatTime(alert.firstEventAt)} />
        <Fact k="Last event" v={formatTime(alert.lastEventAt)} />
        <Fact k="Opened" v={formatTime(alert.openedAt)} />
        {raisedLate(history[0]) && <Fact k="Raised" v={raisedLate(history[0])!} />}
        <Fact k="Assignee" v={c.assignee ?? 'nobody'} />
        <Fact k="Sensors" v={alert.sensorIds.join(', ') || 'none'} />
        {pilot && (
          <Fact
            k="Pilot (Remote ID)"
            v={`${pilot.lat.toFixed(5)}, ${pilot.lon.toFixed(5)} (${pilot.uasId}, ${formatTime(pilot.observedAt)})`}
          />
        )}
        {c.silenced && <Fact k="Silenced" v="a sensor or the rule is silenced" />}
      </dl>

      <AlertActions alert={alert} role={session.role} onDone={onDone} onConflict={reload} />

      <section aria-labelledby="people-heading" className="people">
        <h2 id="people-heading">Cells and detainees</h2>
        <dl className="facts">
          <Fact k="Cells" v={alert.cellIds.join(', ') || 'none'} />
          <Fact k="Detainees (pseudonymous ids)" v={alert.detaineeIds.join(', ') || 'none'} />
        </dl>
      </section>

      <section className="plan-section">
        {/* Not "Site plan": that name belongs to the svg alone (UI-CONTRACT.md). */}
        <h2>Plan of the site</h2>
        {site ? (
          <SitePlan site={site} alert={alert} events={events ?? []} />
        ) : (
          <p className="muted">Loading the site model of {alert.siteId}…</p>
        )}
      </section>

      <section aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">Evidence</h2>
        <ErrorMessage error={evidenceError} prefix="Loading the evidence failed" />
        {events ? <EvidenceTimeline events={events} /> : !evidenceError && <p>Loading evidence…</p>}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <HistoryList history={history} />
      </section>
    </article>
  );
}

/** When an alert raised from late evidence was published: its Opened time is that of the evidence. */
function raisedLate(first: AlertRevision | undefined): string | undefined {
  const late = first && latePublication(first);
  return late && `${formatTime(late.at)} (${late.delayMin} min after the evidence that raised it)`;
}

function Fact({ k, v }: { k: string; v: string }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}
