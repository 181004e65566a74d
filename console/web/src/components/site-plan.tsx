import { useMemo } from 'react';
import { planModel } from '../plan-model';
import type { Alert, SensorEvent, SiteModel } from '../types';

/** The institution drawn from its site model, north up, with the alert's places marked and drone tracks. */
export function SitePlan({
  site,
  alert,
  events,
}: {
  site: SiteModel;
  alert: Alert;
  events: readonly SensorEvent[];
}) {
  const plan = useMemo(() => planModel(site, alert, events), [site, alert, events]);
  return (
    <figure className="plan">
      <svg
        role="img"
        aria-label="Site plan"
        viewBox={`0 0 ${plan.width} ${plan.height}`}
        preserveAspectRatio="xMidYMid meet"
        className="plan-svg"
      >
        <polygon className="plan-airspace" points={plan.airspace}>
          <title>Protected airspace</title>
        </polygon>
        {plan.zones.map((z) => (
          <polygon
            key={z.zoneId}
            className={`plan-zone plan-zone-${z.type}${z.highlight ? ' plan-hit' : ''}`}
            points={z.points}
            data-zone-id={z.zoneId}
          >
            <title>{`${z.type} ${z.zoneId}`}</title>
          </polygon>
        ))}
        {plan.wings.map((w) => (
          <g
            key={w.wingId}
            data-wing-id={w.wingId}
            className={w.highlight ? 'plan-wing plan-wing-alert' : 'plan-wing'}
          >
            <polygon points={w.points}>
              <title>{w.name}</title>
            </polygon>
            <text x={w.label.x} y={w.label.y} textAnchor="middle" className="plan-label">
              {w.name}
            </text>
            {w.cells.map((c) => (
              <rect
                key={c.cellId}
                x={c.x}
                y={c.y}
                width={c.width}
                height={c.height}
                className={c.highlight ? 'plan-cell plan-hit' : 'plan-cell'}
                data-cell-id={c.cellId}
                data-highlight={c.highlight || undefined}
              >
                <title>{`cell ${c.cellId}`}</title>
              </rect>
            ))}
          </g>
        ))}
        {plan.tracks.map((t) => (
          <g key={t.trackId} className="plan-track" data-track-id={t.trackId}>
            <polyline points={t.points} />
            {t.dots.map((d, i) => (
              <circle key={i} cx={d.x} cy={d.y} r={i === t.dots.length - 1 ? 6 : 3} />
            ))}
            <title>{`drone track ${t.trackId}`}</title>
          </g>
        ))}
      </svg>
      <figcaption className="muted">
        {site.name}: airspace outline, wings, yards and zones; the alert&apos;s wing and cells marked
        {plan.tracks.length > 0 && `, ${plan.tracks.length} drone track${plan.tracks.length > 1 ? 's' : ''}`}.
      </figcaption>
    </figure>
  );
}
