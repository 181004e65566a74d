import { eventFields } from '../evidence-fields';
import { formatTime } from '../format';
import type { SensorEvent } from '../types';
import { ExerciseBadge } from './severity-badge';

export function EvidenceTimeline({ events }: { events: readonly SensorEvent[] }) {
  if (events.length === 0) return <p className="muted">No stored evidence events.</p>;
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.eventId} className={`event event-${e.kind}`} data-event-id={e.eventId}>
          <p className="event-head">
            <time dateTime={e.observedAt}>{formatTime(e.observedAt)}</time> <strong>{e.kind}</strong> from
            sensor <code>{e.sensorId}</code> {e.exercise && <ExerciseBadge />}
          </p>
          <dl className="fields">
            {eventFields(e).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </li>
      ))}
    </ol>
  );
}
