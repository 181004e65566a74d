import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiError } from '../api';
import { asApiError } from '../alert-feed';
import { Field } from '../admin/field';
import { ErrorMessage } from '../components/error-message';
import { useFeed, useFeedState, useSession, useStoreVersion } from '../feed-context';
import { formatTime } from '../format';
import { canAct } from '../types';
import {
  checkSilence,
  MAX_SILENCE_MIN,
  ruleChoices,
  siteName,
  silenceBody,
  silencesApi,
  targetText,
  type Silence,
} from './silences-api';
import './silences.css';

/** Expired silences drop off by themselves; the list is asked for again this often (another desk may add one). */
const REFRESH_MS = 30_000;

/**
 * Active silences of sensors and rules, with `Lift`; and a form to silence a sensor or a rule of a site for a
 * bounded time with a reason. Roles that may act on alerts change them; the others read.
 */
export function SilencesPage() {
  const { role } = useSession();
  const mayAct = canAct(role);
  const feed = useFeed();
  const { sites } = useFeedState(feed);
  const version = useStoreVersion(feed);
  const rules = useMemo(() => ruleChoices(feed.store.alerts.values()), [feed, version]);

  const [silences, setSilences] = useState<Silence[]>();
  const [error, setError] = useState<{ error: ApiError; prefix: string }>();
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setSilences((await silencesApi.list()).silences);
    } catch (err) {
      setError({ error: asApiError(err), prefix: 'Loading silences failed' });
    }
  }, []);
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const lift = async (s: Silence) => {
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      await silencesApi.lift(s.id);
      setDone(`Lifted the silence of ${targetText(s)} at ${siteName(sites, s.siteId)}.`);
    } catch (err) {
      setError({ error: asApiError(err), prefix: 'Lifting failed' });
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const add = async (body: Parameters<typeof silencesApi.create>[0]): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      const s = await silencesApi.create(body);
      setDone(`Silenced ${targetText(s)} at ${siteName(sites, s.siteId)} until ${formatTime(s.until)}.`);
      await reload();
      return true;
    } catch (err) {
      setError({ error: asApiError(err), prefix: 'Not silenced' });
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="silences">
      <h1>Silences</h1>
      <p className="muted">
        A silenced sensor or rule still raises alerts (nothing is lost); they are marked silenced on the
        board. Silences end by themselves after at most 24 hours.
      </p>
      <ErrorMessage error={error?.error} prefix={error?.prefix} />
      <p role="status" className="done">
        {done}
      </p>
      <table className="sil-table">
        <caption>Active silences</caption>
        <thead>
          <tr>
            <th scope="col">Silenced</th>
            <th scope="col">Site</th>
            <th scope="col">Until</th>
            <th scope="col">By</th>
            <th scope="col">Reason</th>
            {mayAct && <th scope="col">Lift</th>}
          </tr>
        </thead>
        <tbody>
          {silences?.map((s) => (
            <tr key={s.id} data-testid="silence-row" data-silence-id={s.id}>
              <td>{targetText(s)}</td>
              <td>{siteName(sites, s.siteId)}</td>
              <td className="sil-time">{formatTime(s.until)}</td>
              <td>{s.createdBy}</td>
              <td>{s.reason}</td>
              {mayAct && (
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    aria-label={`Lift silence of ${targetText(s)}`}
                    onClick={() => void lift(s)}
                  >
                    Lift
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {silences?.length === 0 && <p className="empty">No active silences.</p>}
      {silences === undefined && !error && <p className="empty">Loading silences…</p>}
      {mayAct ? (
        <NewSilenceForm sites={sites} rules={rules} busy={busy} onAdd={add} />
      ) : (
        <p className="muted">Your role ({role}) can read silences but not add or lift them.</p>
      )}
    </section>
  );
}

interface FormProps {
  sites: ReturnType<typeof useFeedState>['sites'];
  rules: string[];
  busy: boolean;
  onAdd: (body: ReturnType<typeof silenceBody>) => Promise<boolean>;
}

function NewSilenceForm({ sites, rules, busy, onAdd }: FormProps) {
  const [siteId, setSiteId] = useState('');
  const [target, setTarget] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  // One site: it is the only choice, so it is chosen.
  const onlySite = sites.length === 1 ? sites[0]?.id : undefined;
  const chosenSite = siteId || onlySite || '';
  const site = sites.find((s) => s.id === chosenSite);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const form = { siteId: chosenSite, target, minutes, reason };
    const why = checkSilence(form);
    setProblem(why);
    if (why) return;
    if (await onAdd(silenceBody(form))) {
      setReason('');
      setTarget('');
    }
  };

  return (
    <form className="sil-form" aria-labelledby="new-silence-heading" onSubmit={submit} noValidate>
      <h2 id="new-silence-heading">New silence</h2>
      <Field label="Site" className="sil-field">
        {(id) => (
          <select
            id={id}
            value={chosenSite}
            onChange={(e) => {
              setSiteId(e.target.value);
              setTarget('');
            }}
          >
            {!onlySite && (
              <option value="" disabled>
                choose a site
              </option>
            )}
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Sensor or rule" className="sil-field">
        {(id) => (
          <select id={id} value={target} disabled={!site} onChange={(e) => setTarget(e.target.value)}>
            <option value="" disabled>
              choose a sensor or a rule
            </option>
            <optgroup label="Sensors">
              {site?.sensors.map((s) => (
                <option key={s.id} value={`sensor:${s.id}`}>
                  {`sensor ${s.id} (${s.kind})`}
                </option>
              ))}
            </optgroup>
            <optgroup label="Rules">
              {rules.map((r) => (
                <option key={r} value={`rule:${r}`}>
                  {`rule ${r}`}
                </option>
              ))}
            </optgroup>
          </select>
        )}
      </Field>
      <Field label={`Duration (minutes, 1-${MAX_SILENCE_MIN})`} className="sil-field">
        {(id) => (
          <input
            id={id}
            type="number"
            min={1}
            max={MAX_SILENCE_MIN}
            step={1}
            required
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        )}
      </Field>
      <Field label="Reason" className="sil-field sil-reason">
        {(id) => (
          <input
            id={id}
            required
            maxLength={500}
            autoComplete="off"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={busy}>
        Add silence
      </button>
      {problem && (
        <p role="alert" className="field-error sil-problem">
          {problem}
        </p>
      )}
    </form>
  );
}
