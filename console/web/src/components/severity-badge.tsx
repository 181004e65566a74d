import { SEVERITY_LABEL, SEVERITY_SHAPE } from '../severity';
import type { Severity } from '../types';

/** Severity by text and shape as well as colour. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`sev sev-${severity}`}>
      <span className="sev-shape" aria-hidden="true">
        {SEVERITY_SHAPE[severity]}
      </span>
      {SEVERITY_LABEL[severity]}
    </span>
  );
}

export function ExerciseBadge() {
  return <span className="exercise-badge">EXERCISE</span>;
}
