import { useEffect, useState, type ReactNode } from 'react';
import { isAdmin } from '../admin/admin-api';
import { unlockAudio, whenAudioAllowed } from '../beep';
import { canReadHistory } from '../history/history-api';
import { usePathname } from '../router';
import { canRead, type Session } from '../types';
import { Link } from './link';

interface Props {
  session: Session;
  onSignOut: () => void;
  sound: boolean;
  onSound: (on: boolean) => void;
  banner: ReactNode;
  announcement: ReactNode;
  children: ReactNode;
}

/** The signed-in frame: navigation, the live banner, the critical-alert announcer, the page. */
export function Shell({ session, onSignOut, sound, onSound, banner, announcement, children }: Props) {
  const path = usePathname();
  const audioBlocked = useAudioBlocked(sound);
  return (
    <div className="app">
      <header className="top">
        <nav aria-label="Main">
          <span className="brand">Wachtpost</span>
          <Link href="/" current={path === '/'}>
            Alerts
          </Link>
          <Link href="/wings" current={path === '/wings'}>
            Wings
          </Link>
          {canReadHistory(session.role) && (
            <Link href="/history" current={path.startsWith('/history')}>
              History
            </Link>
          )}
          {/* Testers see only the simulator (and no alert data): no silences page for them. */}
          {canRead(session.role) && (
            <Link href="/silences" current={path === '/silences'}>
              Silences
            </Link>
          )}
          {isAdmin(session.role) && (
            <>
              <Link href="/admin/users" current={path === '/admin/users'}>
                Users
              </Link>
              <Link href="/admin/sites" current={path === '/admin/sites'}>
                Sites
              </Link>
              <Link href="/admin/audit" current={path === '/admin/audit'}>
                Audit
              </Link>
            </>
          )}
          {(session.role === 'tester' || session.role === 'admin') && (
            <Link href="/simulator" current={path === '/simulator'}>
              Simulator
            </Link>
          )}
          <span className="spacer" />
          <label className="sound-toggle">
            <input
              type="checkbox"
              checked={sound}
              onChange={(e) => {
                if (e.target.checked) unlockAudio();
                onSound(e.target.checked);
              }}
            />
            Sound on new critical
            {audioBlocked && (
              <span className="sound-blocked" role="status">
                (blocked by the browser until you click or press a key)
              </span>
            )}
          </label>
          <span className="user">
            <span data-testid="username">{session.username}</span>{' '}
            <span className="muted">({session.role})</span>
          </span>
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </nav>
      </header>
      {banner}
      <div data-testid="announcer" aria-live="assertive" aria-atomic="true" className="announcer">
        {announcement}
      </div>
      <main className="page">{children}</main>
    </div>
  );
}

/** True while the sound is on but the browser will not play it yet (a reload, no click or key press since). */
function useAudioBlocked(sound: boolean): boolean {
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    if (!sound) return setBlocked(false);
    setBlocked(true);
    return whenAudioAllowed(() => setBlocked(false));
  }, [sound]);
  return blocked;
}
