import { useId, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api';
import { asApiError } from '../alert-feed';
import type { Session } from '../types';
import { ErrorMessage } from './error-message';

export function LoginPage({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice?: ApiError }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(notice);
  const userId = useId();
  const passId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.login(username, password));
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={(e) => void submit(e)} className="login-form" aria-labelledby="login-heading">
        <h1 id="login-heading">Wachtpost</h1>
        <p className="muted">Control-room console. Sign in to see the alerts.</p>
        <label htmlFor={userId}>Username</label>
        <input
          id={userId}
          type="text"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoFocus
        />
        <label htmlFor={passId}>Password</label>
        <input
          id={passId}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorMessage error={error} />
      </form>
    </main>
  );
}
