import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, type ActionBody, type ApiError } from '../api';
import { allowedActions, outcomeChoices } from '../action-rules';
import { asApiError } from '../alert-feed';
import type { Alert, AlertEntry, Outcome, Role } from '../types';
import { ErrorMessage } from './error-message';

interface Props {
  alert: Alert;
  role: Role;
  /** The server's answer to a successful action (the new revision). */
  onDone: (entry: AlertEntry) => void;
  /** 409: the alert changed meanwhile; reload it. */
  onConflict: () => void;
}

/** Plain words for a field left empty, checked before anything is sent. */
const MISSING = {
  assignee: 'Name the user to assign (or use Assign to me).',
  note: 'Write a note first.',
  outcome: 'Choose an outcome first: it counts in the precision statistics.',
} as const;
type Field = keyof typeof MISSING;

const DONE: Record<ActionBody['action'], string> = {
  acknowledge: 'Acknowledged',
  assign: 'Assigned',
  note: 'Note added',
  resolve: 'Resolved',
  silence: 'Silenced',
};

/**
 * Acknowledge, assign, note, resolve and silence; each sends the rev on screen. A note typed in the box goes
 * with Acknowledge and Resolve (the server takes one on both), so it is not left behind unsent.
 */
export function AlertActions({ alert, role, onDone, onConflict }: Props) {
  const allowed = allowedActions(role, alert.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState('');
  const [assignee, setAssignee] = useState('');
  const assignees = useAssignees(allowed.has('assign'));
  const [note, setNote] = useState('');
  // No default: the outcome feeds the precision statistics, so an operator must choose it.
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [missing, setMissing] = useState<Field>();
  const [target, setTarget] = useState(
    alert.sensorIds[0] ? `sensor:${alert.sensorIds[0]}` : `rule:${alert.rule}`,
  );
  const [minutes, setMinutes] = useState('60');
  const [reason, setReason] = useState('');
  const ids = {
    assignee: useId(),
    assignees: useId(),
    note: useId(),
    noteHint: useId(),
    outcome: useId(),
    target: useId(),
    minutes: useId(),
    reason: useId(),
  };

  async function run(body: ActionBody): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    setMissing(undefined);
    setDone('');
    try {
      const entry = await api.act(alert.alertId, alert.rev, body);
      const noted = body.action !== 'note' && 'note' in body && body.note !== undefined;
      setDone(`${DONE[body.action]}${noted ? ' with the note' : ''} (rev ${entry.alert.rev}).`);
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
  /** Refuses with a plain message, sending nothing, while `field` is empty; else submits. */
  const filled = (field: Field, value: string, body: () => ActionBody, after?: () => void) =>
    value.trim() === ''
      ? (e: FormEvent) => {
          e.preventDefault();
          setMissing(field);
        }
      : submit(body, after);
  // The typed note, if any, rides along with Acknowledge and Resolve. Once sent the box empties, unless more
  // was typed meanwhile.
  const typedNote = note.trim();
  const withNote = typedNote ? { note: typedNote } : {};
  const clearNote = () => setNote((n) => (n.trim() === typedNote ? '' : n));
  const fieldError = (field: Field) =>
    missing === field && (
      <span role="alert" className="field-error">
        {MISSING[field]}
      </span>
    );
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
          onClick={() => void run({ action: 'acknowledge', ...withNote }).then((ok) => ok && clearNote())}
        >
          Acknowledge
        </button>
        <button type="button" disabled={off('assign')} onClick={() => void run({ action: 'assign' })}>
          Assign to me
        </button>
      </div>
      <form
        className="action-form"
        onSubmit={filled(
          'assignee',
          assignee,
          () => ({ action: 'assign', assignee: assignee.trim() }),
          () => setAssignee(''),
        )}
      >
        <label htmlFor={ids.assignee}>Assign to username</label>
        <input
          id={ids.assignee}
          value={assignee}
          aria-invalid={missing === 'assignee'}
          onChange={(e) => {
            setAssignee(e.target.value);
            if (missing === 'assignee') setMissing(undefined);
          }}
          autoComplete="off"
          list={ids.assignees}
        />
        <datalist id={ids.assignees} data-testid="assignees">
          {assignees.map((u) => (
            <option key={u.username} value={u.username} label={`${u.username} (${u.role})`} />
          ))}
        </datalist>
        <button type="submit" disabled={off('assign')}>
          Assign to user
        </button>
        {fieldError('assignee')}
      </form>
      <form
        className="action-form"
        onSubmit={filled('note', note, () => ({ action: 'note', note: typedNote }), clearNote)}
      >
        <label htmlFor={ids.note}>Note</label>
        <textarea
          id={ids.note}
          value={note}
          rows={2}
          aria-invalid={missing === 'note'}
          aria-describedby={ids.noteHint}
          onChange={(e) => {
            setNote(e.target.value);
            if (missing === 'note') setMissing(undefined);
          }}
        />
        <button type="submit" disabled={off('note')}>
          Add note
        </button>
        <span id={ids.noteHint} className="muted">
          Sent with Add note, or with Acknowledge or Resolve.
        </span>
        {fieldError('note')}
      </form>
      <form
        className="action-form"
        onSubmit={filled(
          'outcome',
          outcome,
          () => ({ action: 'resolve', outcome: outcome as Outcome, ...withNote }),
          clearNote,
        )}
      >
        <label htmlFor={ids.outcome}>Outcome</label>
        <select
          id={ids.outcome}
          value={outcome}
          aria-invalid={missing === 'outcome'}
          onChange={(e) => {
            setOutcome(e.target.value as Outcome | '');
            if (missing === 'outcome') setMissing(undefined);
          }}
        >
          <option value="" disabled>
            choose an outcome
          </option>
          {outcomeChoices(alert.rule).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={off('resolve')}>
          Resolve
        </button>
        {fieldError('outcome')}
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

/**
 * The users an alert can be assigned to, offered as the operator types. Only fetched for a role that may
 * assign; without the list (an older server, a failed request) the box still takes any name.
 */
function useAssignees(mayAssign: boolean): { username: string; role: Role }[] {
  const [users, setUsers] = useState<{ username: string; role: Role }[]>([]);
  useEffect(() => {
    if (!mayAssign) return;
    let live = true;
    api.assignees().then(
      ({ users }) => live && setUsers(users),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [mayAssign]);
  return users;
}
