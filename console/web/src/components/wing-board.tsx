import { useMemo } from 'react';
import { localizeInstants } from '../format';
import { useFeed, useFeedState, useStoreVersion } from '../feed-context';
import { alertHref } from '../router';
import { wingBoard, type SensorHealth } from '../wing-health';
import { ErrorMessage } from './error-message';
import { Link } from './link';
import { ExerciseBadge, SeverityBadge } from './severity-badge';

/** Every wing of every site at a glance: its worst open alert and its sensors' health. */
export function WingBoard() {
  const feed = useFeed();
  const version = useStoreVersion(feed);
  const state = useFeedState(feed);
  const all = feed.store.alerts;
  const sites = useMemo(() => wingBoard(state.sites, all.values()), [state.sites, all, version]);
  return (
    <section className="wings" aria-labelledby="wings-heading">
      <h1 id="wings-heading">Wings</h1>
      <ErrorMessage error={state.error} prefix="Loading failed" />
      {sites.length === 0 && !state.error && <p className="empty">Loading site models…</p>}
      {sites.map((site) => (
        <section key={site.siteId} className="site" aria-labelledby={`site-${site.siteId}`}>
          <h2 id={`site-${site.siteId}`}>
            {site.name} <span className="muted">({site.siteId})</span>
          </h2>
          <ul className="wing-grid">
            {site.wings.map((w) => (
              <li
                key={w.wingId}
                className={`wing-card${w.worst ? ` wing-sev-${w.worst.alert.severity}` : ' wing-quiet'}`}
                data-wing-id={w.wingId}
                data-site-id={w.siteId}
              >
                <h3>
                  {w.name} <span className="muted">{w.regime.toUpperCase()}</span>
                </h3>
                {w.worst ? (
                  <p className="wing-worst">
                    <SeverityBadge severity={w.worst.alert.severity} />{' '}
                    <Link href={alertHref(w.worst.alert.alertId)}>
                      {localizeInstants(w.worst.alert.title)}
                    </Link>{' '}
                    <span className={`status status-${w.worst.alert.status}`}>{w.worst.alert.status}</span>
                    {w.worst.alert.exercise && <ExerciseBadge />}
                    {w.active > 1 && <span className="muted"> and {w.active - 1} more</span>}
                  </p>
                ) : (
                  <p className="wing-worst muted">No open alerts</p>
                )}
                <SensorList sensors={w.sensors} />
              </li>
            ))}
          </ul>
          {site.siteSensors.length > 0 && (
            <div className="site-sensors">
              <h3>Site-wide sensors</h3>
              <SensorList sensors={site.siteSensors} />
            </div>
          )}
        </section>
      ))}
    </section>
  );
}

function SensorList({ sensors }: { sensors: SensorHealth[] }) {
  if (sensors.length === 0) return <p className="muted">No sensors</p>;
  return (
    <ul className="sensors" aria-label="Sensors">
      {sensors.map((s) => (
        <li
          key={s.sensorId}
          className={s.offline ? 'sensor-offline' : 'sensor-ok'}
          data-sensor-id={s.sensorId}
        >
          <span aria-hidden="true">{s.offline ? '\u2716' : '\u25CF'}</span> {s.sensorId}{' '}
          <span className="sensor-state">{s.offline ? 'OFFLINE' : 'ok'}</span>
        </li>
      ))}
    </ul>
  );
}
