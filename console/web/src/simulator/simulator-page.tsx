import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { ErrorMessage } from '../components/error-message';
import { simulatorApi, type SimulatorView } from './simulator-api';
import './simulator.css';

const asError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError(0, err instanceof Error ? err.message : String(err));

function duration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return (ms < 0 ? '-' : '') + parts.join('');
}

/**
 * The testers' simulator page: choose a site and a scenario (or a realistic feed or a paced load), start,
 * pause, resume, stop, change the speed or rate, inject faults, and watch the counters and the scenario's
 * expectations. The state is polled from the server every `pollMs`.
 */
export function SimulatorPage({ pollMs = 1000 }: { pollMs?: number }) {
  const [view, setView] = useState<SimulatorView>();
  const [error, setError] = useState<ApiError>();
  const [siteId, setSiteId] = useState('');
  const [source, setSource] = useState('');
  const [speed, setSpeed] = useState('3600');
  const [rate, setRate] = useState('100');
  const [fault, setFault] = useState('json');
  const [count, setCount] = useState('1');
  const [sensorId, setSensorId] = useState('');
  const [forS, setForS] = useState('300');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setView(await simulatorApi.status());
    } catch (err) {
      setError(asError(err));
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), pollMs);
    return () => clearInterval(timer);
  }, [refresh, pollMs]);

  // Defaults once the lists are known: the first site, its first scenario.
  useEffect(() => {
    if (!view) return;
    if (!siteId && view.sites[0]) setSiteId(view.sites[0].id);
    if (!source) {
      const first = view.scenarios.find((s) => !s.error);
      setSource(first ? `scenario:${first.id}` : 'feed');
    }
  }, [view, siteId, source]);

  const act = async (call: () => Promise<SimulatorView>) => {
    setBusy(true);
    try {
      setView(await call());
      setError(undefined);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };

  const mode = source.startsWith('scenario:') ? 'scenario' : (source as 'feed' | 'load');
  const start = (e: FormEvent) => {
    e.preventDefault();
    const body =
      mode === 'scenario'
        ? { siteId, scenario: source.slice('scenario:'.length), speed: Number(speed) }
        : mode === 'load'
          ? { siteId, mode: 'load' as const, rate: Number(rate) }
          : { siteId, mode: 'feed' as const, speed: Number(speed) };
    void act(() => simulatorApi.start(body));
  };
  const inject = (e: FormEvent) => {
    e.preventDefault();
    void act(() =>
      simulatorApi.fault(
        fault === 'silence' ? { fault, sensorId, forS: Number(forS) } : { fault, count: Number(count) },
      ),
    );
  };

  if (!view) {
    return (
      <section className="simulator">
        <h1>Simulator</h1>
        {error ? <ErrorMessage error={error} /> : <p className="loading">Loading…</p>}
      </section>
    );
  }
  const active = view.phase === 'running' || view.phase === 'paused';
  const run = view.run;
  const c = view.counters;
  const scenarios = view.scenarios.filter((s) => !siteId || s.site === siteId);

  return (
    <section className="simulator">
      <h1>Simulator</h1>
      <ErrorMessage error={error} />

      <form onSubmit={start} aria-label="Start a run">
        <fieldset disabled={busy || active}>
          <legend>Run</legend>
          <label>
            Site
            <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              {view.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.id})
                </option>
              ))}
            </select>
          </label>
          <label>
            Scenario or traffic
            <select value={source} onChange={(e) => setSource(e.target.value)}>
              {scenarios.map((s) => (
                <option key={s.id} value={`scenario:${s.id}`} disabled={Boolean(s.error)}>
                  {s.name}
                </option>
              ))}
              <option value="feed">Realistic feed</option>
              <option value="load">Paced load</option>
            </select>
          </label>
          {mode === 'load' ? (
            <label>
              Rate (events/s)
              <input type="number" min="1" value={rate} onChange={(e) => setRate(e.target.value)} />
            </label>
          ) : (
            <label>
              Speed (× real time)
              <input
                type="number"
                min="0.1"
                step="any"
                value={speed}
                onChange={(e) => setSpeed(e.target.value)}
              />
            </label>
          )}
          <button type="submit">Start</button>
        </fieldset>
      </form>

      <div className="actions" role="group" aria-label="Control">
        <span>
          Status: <strong data-testid="sim-phase">{view.phase}</strong>
          {run && (
            <span className="muted">
              {' '}
              — {run.mode}
              {run.scenario && ` ${run.scenario}`} on {run.siteId},{' '}
              {run.mode === 'load' ? `${run.rate} events/s` : `speed ${run.speed}`}
              {view.simulatedAt && `, simulated ${view.simulatedAt.slice(0, 19).replace('T', ' ')} UTC`}
            </span>
          )}
        </span>
        {run?.error && <span className="error">{run.error}</span>}
        <button
          type="button"
          disabled={busy || view.phase !== 'running'}
          onClick={() => void act(simulatorApi.pause)}
        >
          Pause
        </button>
        <button
          type="button"
          disabled={busy || view.phase !== 'paused'}
          onClick={() => void act(simulatorApi.resume)}
        >
          Resume
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy || !active}
          onClick={() => void act(simulatorApi.stop)}
        >
          Stop
        </button>
        <button
          type="button"
          disabled={busy || !active}
          onClick={() =>
            void act(() =>
              simulatorApi.tune(run?.mode === 'load' ? { rate: Number(rate) } : { speed: Number(speed) }),
            )
          }
        >
          Apply {run?.mode === 'load' ? 'rate' : 'speed'}
        </button>
      </div>

      <form onSubmit={inject} aria-label="Inject a fault">
        <fieldset disabled={busy || !active}>
          <legend>Faults</legend>
          <label>
            Fault
            <select value={fault} onChange={(e) => setFault(e.target.value)}>
              {view.faults.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          {fault === 'silence' ? (
            <>
              <label>
                Sensor
                <input value={sensorId} onChange={(e) => setSensorId(e.target.value)} placeholder="gsm-a-1" />
              </label>
              <label>
                For (s)
                <input type="number" min="1" value={forS} onChange={(e) => setForS(e.target.value)} />
              </label>
            </>
          ) : (
            <label>
              Messages
              <input
                type="number"
                min="1"
                max="100"
                value={count}
                onChange={(e) => setCount(e.target.value)}
              />
            </label>
          )}
          <button type="submit">Inject</button>
        </fieldset>
      </form>
      {view.silences.length > 0 && (
        <p>
          Silenced:{' '}
          {view.silences
            .map((s) => `${s.sensorId} until ${new Date(s.until).toLocaleTimeString()}`)
            .join(', ')}
        </p>
      )}

      <ul className="counters" aria-label="Counters">
        {(
          [
            ['published', c.published],
            ['accepted', c.accepted],
            ['rejected', c.rejected],
            ['alerts', c.alerts],
            ['faults', c.faults],
            ['silenced', c.silenced],
          ] as const
        ).map(([label, n]) => (
          <li key={label} className="counter" data-testid={`count-${label}`} data-count={n}>
            <strong>{n}</strong> <span className="counter-label">{label}</span>
          </li>
        ))}
      </ul>

      {view.expectations && view.expectations.length > 0 && (
        <table className="sim-table" aria-label="Expectations">
          <caption>
            Expectations
            {view.summary &&
              ` — ${view.summary.met} met, ${view.summary.late} late, ${view.summary.missed} missed` +
                (view.summary.pending ? `, ${view.summary.pending} waiting` : '')}
          </caption>
          <thead>
            <tr>
              <th>After</th>
              <th>Rule</th>
              <th>Key / match</th>
              <th>Severity</th>
              <th>Within</th>
              <th>Result</th>
              <th>Latency</th>
              <th>Alert</th>
            </tr>
          </thead>
          <tbody>
            {view.expectations.map((e) => (
              <tr
                key={e.index}
                data-testid="expectation"
                data-rule={e.rule}
                data-verdict={e.verdict}
                data-alert-id={e.alertId}
              >
                <td>{e.after}</td>
                <td>{e.rule}</td>
                <td>{e.target}</td>
                <td>{[e.severity, e.status].filter(Boolean).join(' ') || '-'}</td>
                <td>{duration(e.withinMs)}</td>
                <td className={`verdict-${e.verdict}`}>{e.verdict}</td>
                <td>{duration(e.latencyMs)}</td>
                <td>{e.alertId ? `${e.alertId} (rev ${e.rev})` : '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
