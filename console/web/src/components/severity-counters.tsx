import type { SeverityCounts } from '../board-logic';
import { SEVERITY_LABEL, SEVERITY_SHAPE } from '../severity';
import { SEVERITY_ORDER } from '../types';

/** Open and acknowledged alerts per severity, among those the filters show. */
export function SeverityCounters({ counts }: { counts: SeverityCounts }) {
  return (
    <ul
      className="counters"
      aria-label="Counts by severity"
      title="Open and acknowledged, within the filters"
    >
      {SEVERITY_ORDER.map((s) => (
        <li key={s} className={`counter sev-${s}${counts[s] > 0 ? ' counter-some' : ''}`}>
          <span className="sev-shape" aria-hidden="true">
            {SEVERITY_SHAPE[s]}
          </span>
          <span className="counter-label">{SEVERITY_LABEL[s]}</span>
          <strong data-testid={`count-${s}`}>{counts[s]}</strong>
        </li>
      ))}
    </ul>
  );
}
