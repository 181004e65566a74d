import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { api, type ApiError } from '../api';
import { asApiError } from '../alert-feed';
import { ErrorMessage } from '../components/error-message';
import type { SiteModel } from '../types';
import { Field } from './field';
import {
  MAX_SITE_MODEL_BYTES,
  unchanged,
  validateSite,
  type IdChanges,
  type SiteValidation,
} from './sites-api';
import './admin.css';

/** A file's text, through FileReader (older engines and jsdom lack `Blob.text()`). */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file cannot be read'));
    reader.readAsText(file);
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Admins see the loaded site models and check a new or changed model file before deploying it. Nothing is
 * replaced from here: every service loads the models from WACHTPOST_SITES at start.
 */
export function SitesPage() {
  const [sites, setSites] = useState<SiteModel[]>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [yaml, setYaml] = useState('');
  const [result, setResult] = useState<SiteValidation>();
  const [error, setError] = useState<{ error: ApiError; prefix: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.sites().then(
      (r) => setSites(r.sites),
      (err: unknown) => setLoadError(asApiError(err)),
    );
  }, []);

  // A result belongs to the text it was given: editing or loading another file drops it.
  const edit = (text: string) => {
    setYaml(text);
    setResult(undefined);
  };

  const loadFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setError(undefined);
    if (file.size > MAX_SITE_MODEL_BYTES) {
      setResult(undefined);
      setError({
        error: asApiError(new Error(`${file.name} is larger than 1 MiB`)),
        prefix: 'Loading the file failed',
      });
      return;
    }
    try {
      edit(await readText(file));
    } catch (err) {
      setError({ error: asApiError(err), prefix: 'Loading the file failed' });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await validateSite(yaml));
    } catch (err) {
      setError({ error: asApiError(err), prefix: 'Validating failed' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="admin">
      <h1>Sites</h1>
      <ErrorMessage error={loadError} prefix="Loading the site models failed" />
      {sites?.map((s) => (
        <LoadedSite key={s.id} site={s} />
      ))}
      {sites?.length === 0 && <p className="empty">No site models are loaded.</p>}

      <form className="adm-form" aria-label="Check a site model" onSubmit={(e) => void submit(e)}>
        <h2>Check a site model</h2>
        <p className="adm-hint muted" data-testid="sites-note">
          Checking changes nothing. A model takes effect by putting its file in <code>WACHTPOST_SITES</code>{' '}
          and restarting the services (every service loads the site models at start).
        </p>
        <Field label="Load file">
          {(id) => <input id={id} type="file" accept=".yaml,.yml,.json" onChange={(e) => void loadFile(e)} />}
        </Field>
        <Field label="Site model (YAML)" className="adm-field adm-wide">
          {(id) => (
            <textarea
              id={id}
              className="adm-yaml"
              rows={16}
              spellCheck={false}
              value={yaml}
              onChange={(e) => edit(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy || yaml.trim() === ''}>
          Validate
        </button>
      </form>
      <ErrorMessage error={error?.error} prefix={error?.prefix} />
      {result && <ValidationResult result={result} />}
    </section>
  );
}

function LoadedSite({ site }: { site: SiteModel }) {
  return (
    <section className="adm-site" data-testid="site" data-site-id={site.id}>
      <h2>
        {site.name} <code>{site.id}</code>
      </h2>
      <p>Time zone: {site.timezone}</p>
      <table className="adm-table">
        <caption>Wings of {site.name}</caption>
        <thead>
          <tr>
            <th scope="col">Wing</th>
            <th scope="col">Name</th>
            <th scope="col">Regime</th>
            <th scope="col">Cells</th>
          </tr>
        </thead>
        <tbody>
          {site.wings.map((w) => (
            <tr key={w.id} data-testid="wing-row" data-wing-id={w.id} data-cells={w.cells.length}>
              <td>{w.id}</td>
              <td>{w.name}</td>
              <td>{w.regime}</td>
              <td>{w.cells.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="adm-table">
        <caption>Sensors of {site.name}</caption>
        <thead>
          <tr>
            <th scope="col">Sensor</th>
            <th scope="col">Kind</th>
            <th scope="col">Heartbeat interval</th>
          </tr>
        </thead>
        <tbody>
          {site.sensors.map((s) => (
            <tr key={s.id} data-testid="sensor-row" data-sensor-id={s.id} data-kind={s.kind}>
              <td>{s.id}</td>
              <td>{s.kind}</td>
              <td>{s.heartbeatIntervalS} s</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ValidationResult({ result }: { result: SiteValidation }) {
  if (!result.valid) {
    return (
      <div role="alert" className="error" data-testid="site-errors">
        <p>The site model is not valid ({plural(result.errors.length, 'error')}):</p>
        <ul>
          {result.errors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      </div>
    );
  }
  const d = result.differences;
  return (
    <div role="status" data-testid="site-valid">
      <p>
        Valid: site <code>{result.siteId}</code> ({result.name}) with {plural(result.wings, 'wing')},{' '}
        {plural(result.cells, 'cell')} and {plural(result.sensors, 'sensor')}.
      </p>
      {d === null ? (
        <p>No loaded site has the id {result.siteId}: this file would add a new site.</p>
      ) : unchanged(d) ? (
        <p>Same wings, cells and sensors as the loaded model.</p>
      ) : (
        <ul aria-label="Differences from the loaded model">
          <Change what="Wings" change={d.wings} />
          <Change what="Cells" change={d.cells} />
          <Change what="Sensors" change={d.sensors} />
        </ul>
      )}
    </div>
  );
}

function Change({ what, change }: { what: string; change: IdChanges }) {
  return (
    <>
      {change.added.length > 0 && (
        <li data-testid="difference">
          {what} added ({change.added.length}): {change.added.join(', ')}
        </li>
      )}
      {change.removed.length > 0 && (
        <li data-testid="difference">
          {what} removed ({change.removed.length}): {change.removed.join(', ')}
        </li>
      )}
    </>
  );
}
