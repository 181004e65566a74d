import { useId, useState, type FormEvent } from 'react';
import { api, type ActionBody, type ApiError } from '../api';
import { allowedActions } from '../action-rules';
import { asApiError } from '../alert-feed';
import { OUTCOMES, type Alert, type AlertEntry, type Outcome, type Role } from '../types';
import { ErrorMessage } from './error-message';

interface Props {
  alert: Alert;
  role: Role;
  /** The server's answer to a successful action (the new revision). */
  onDone: (entry: AlertEntry) => void;
  /** 409: the alert changed meanwhile; reload it. */
  onConflict: () => void;
}

const OUTCOME_LABELS: Record<Outcome, string> = {
  confirmed: 'Confirmed (contraband found)',
  'false-positive': 'False positive',
  duplicate: 'Duplicate of another alert',
  'search-ordered': 'Search ordered',
};

const DONE: Record<ActionBody['action'], string> = {
  acknowledge: 'Acknowledged',
  assign: 'Assigned',
  note: 'Note added',
  resolve: 'Resolved',
  silence: 'Silenced',
};

/** Acknowledge, assign, note, resolve and silence; each sends the rev on screen. */
export function AlertActions({ alert, role, onDone, onConflict }: Props) {
  const allowed = allowedActions(role, alert.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState('');
  const [assignee, setAssignee] = useState('');
  const [note, setNote] = useState('');
  // No default: the outcome feeds the precision statistics, so an operator must choose it.
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [outcomeMissing, setOutcomeMissing] = useState(false);
  const [target, setTarget] = useState(
    alert.sensorIds[0] ? `sensor:${alert.sensorIds[0]}` : `rule:${alert.rule}`,
  );
  const [minutes, setMinutes] = useState('60');
  const [reason, setReason] = useState('');
  const ids = {
    assignee: useId(),
    note: useId(),
    outcome: useId(),
    target: useId(),
    minutes: useId(),
    reason: useId(),
  };

  async function run(body: ActionBody): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      const entry = await api.act(alert.alertId, alert.rev, body);
      setDone(`${DONE[body.action]} (rev ${entry.alert.rev}).`);
      onDone(entry);
      return true;
    } catch (err) {
      const e = asApiError(err);
      setError(e);
      if (e.status === 409) onConflict();
      return false;
    } finally {
      setBusy(false);
    }
  }

  const submit = (body: () => ActionBody, after?: () => void) => async (e: FormEvent) => {
    e.preventDefault();
    if (await run(body())) after?.();
  };
  const off = (a: Parameters<typeof allowed.has>[0]) => busy || !allowed.has(a);

  return (
    <section className="actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {allowed.size === 0 && role !== 'operator' && role !== 'admin' && (
        <p className="muted">Your role ({role}) can read alerts but not act on them.</p>
      )}
      <ErrorMessage
        error={error}
        prefix={error?.status === 409 ? 'Not done, the alert changed' : 'Not done'}
      />
      <p role="status" className="done">
        {done}
      </p>
      <div className="action-row">
        <button
          type="button"
          disabled={off('acknowledge')}
          onClick={() => void run({ action: 'acknowledge' })}
        >
          Acknowledge
        </button>
        <button type="button" disabled={off('assign')} onClick={() => void run({ action: 'assign' })}>
          Assign to me
        </button>
      </div>
      <form
        className="action-form"
        onSubmit={submit(
          () => ({ action: 'assign', assignee: assignee.trim() }),
          () => setAssignee(''),
        )}
      >
        <label htmlFor={ids.assignee}>Assign to username</label>
        <input
          id={ids.assignee}
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" disabled={off('assign')}>
          Assign to user
        </button>
      </form>
      <form
        className="action-form"
        onSubmit={submit(
          () => ({ action: 'note', note }),
          () => setNote(''),
        )}
      >
        <label htmlFor={ids.note}>Note</label>
        <textarea id={ids.note} value={note} rows={2} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" disabled={off('note')}>
          Add note
        </button>
      </form>
      <form
        className="action-form"
        onSubmit={(e) => {
          e.preventDefault();
          setOutcomeMissing(outcome === '');
          if (outcome !== '') void run({ action: 'resolve', outcome });
        }}
      >
        <label htmlFor={ids.outcome}>Outcome</label>
        <select
          id={ids.outcome}
          value={outcome}
          aria-invalid={outcomeMissing}
          onChange={(e) => {
            setOutcome(e.target.value as Outcome | '');
            setOutcomeMissing(false);
          }}
        >
          <option value="" disabled>
            choose an outcome
          </option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_LABELS[o]}
            </option>
          ))}
        </select>
        <button type="submit" disabled={off('resolve')}>
          Resolve
        </button>
        {outcomeMissing && (
          <span role="alert" className="field-error">
            Choose an outcome first: it counts in the precision statistics.
          </span>
        )}
      </form>
      <form
        className="action-form"
        onSubmit={submit(
          () => {
            const [kind, id = ''] = target.split(/:(.*)/);
            return {
              action: 'silence',
              ...(kind === 'sensor' ? { sensorId: id } : { rule: id }),
              durationMin: Number(minutes),
              reason: reason.trim(),
            };
          },
          () => setReason(''),
        )}
      >
        <label htmlFor={ids.target}>Silence target</label>
        <select id={ids.target} value={target} onChange={(e) => setTarget(e.target.value)}>
          {alert.sensorIds.map((s) => (
            <option key={s} value={`sensor:${s}`}>
              sensor {s}
            </option>
          ))}
          <option value={`rule:${alert.rule}`}>rule {alert.rule}</option>
        </select>
        <label htmlFor={ids.minutes}>Minutes (1-1440)</label>
        <input
          id={ids.minutes}
          type="number"
          min={1}
          max={1440}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
        <label htmlFor={ids.reason}>Reason</label>
        <input
          id={ids.reason}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" disabled={off('silence')}>
          Silence
        </button>
      </form>
    </section>
  );
}
