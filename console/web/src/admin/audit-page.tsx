import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api';
import { asApiError } from '../alert-feed';
import { ErrorMessage } from '../components/error-message';
import { formatTime } from '../format';
import { adminApi, AUDIT_ACTIONS, type AuditEntry } from './admin-api';
import { Field } from './field';
import './admin.css';

interface Filters {
  actor: string;
  action: string;
}

const NO_FILTERS: Filters = { actor: '', action: '' };

/** The detail object in one line (`key=value, ...`), for the table; empty when there is none. */
export function detailText(detail: Record<string, unknown> | null | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/**
 * The audit log, newest first, filtered by actor and action; `Load more` follows the server's `nextBefore`
 * (a keyset cursor on the entry id), so entries written meanwhile never shift a page.
 */
export function AuditPage({ pageSize = 100 }: { pageSize?: number }) {
  const [form, setForm] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError>();
  const listId = useId();

  // A page answered after the filters changed belongs to a view no longer shown: dropped.
  const generation = useRef(0);
  const load = useCallback(
    async (f: Filters, before?: number) => {
      const mine = before ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const page = await adminApi.audit({ ...f, limit: pageSize, before });
        if (mine !== generation.current) return;
        setEntries((old) => (before ? [...old, ...page.entries] : page.entries));
        setNextBefore(page.nextBefore);
        setError(undefined);
      } catch (err) {
        if (mine === generation.current) setError(asApiError(err));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [pageSize],
  );

  useEffect(() => {
    setEntries([]);
    setNextBefore(null);
    void load(applied);
  }, [applied, load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ actor: form.actor.trim(), action: form.action.trim() });
  };
  const filtered = Boolean(applied.actor || applied.action);

  return (
    <section className="admin">
      <h1>Audit log</h1>
      <form className="adm-form" aria-label="Audit filters" onSubmit={submit}>
        <Field label="Actor">
          {(id) => (
            <input
              id={id}
              value={form.actor}
              autoComplete="off"
              onChange={(e) => setForm({ ...form, actor: e.target.value })}
            />
          )}
        </Field>
        <Field label="Action">
          {(id) => (
            <input
              id={id}
              list={listId}
              value={form.action}
              autoComplete="off"
              onChange={(e) => setForm({ ...form, action: e.target.value })}
            />
          )}
        </Field>
        <datalist id={listId}>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <button type="submit">Apply filters</button>
        <button
          type="button"
          className="secondary"
          disabled={!filtered && !form.actor && !form.action}
          onClick={() => {
            setForm(NO_FILTERS);
            setApplied(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </form>
      <ErrorMessage error={error} prefix="Loading the audit log failed" />
      <table className="adm-table">
        <caption>Audit entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Address</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-id={e.id} data-action={e.action} data-actor={e.actor}>
              <td className="adm-time">{formatTime(e.at)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.target ?? ''}</td>
              <td>{e.ip ?? ''}</td>
              <td className="adm-detail">{detailText(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" aria-live="polite">
        {loading
          ? 'Loading…'
          : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${nextBefore ? ' so far' : ''}`}
      </p>
      {!loading && entries.length === 0 && !error && (
        <p className="empty">{filtered ? 'No entries match these filters.' : 'The audit log is empty.'}</p>
      )}
      {nextBefore !== null && (
        <button type="button" disabled={loading} onClick={() => void load(applied, nextBefore)}>
          Load more
        </button>
      )}
    </section>
  );
}
