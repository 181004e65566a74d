import { useEffect, useRef, useState } from 'react';
import { isAdmin } from '../admin/admin-api';
import { AuditPage } from '../admin/audit-page';
import { SitesPage } from '../admin/sites-page';
import { UsersPage } from '../admin/users-page';
import { api, ApiError, setUnauthorizedHandler } from '../api';
import { AlertFeed, asApiError } from '../alert-feed';
import { beep } from '../beep';
import { localizeInstants } from '../format';
import { FeedContext, SessionContext, useFeedState, useSession, useStoreVersion } from '../feed-context';
import { DetaineeTimelinePage } from '../history/detainee-timeline';
import { canReadHistory } from '../history/history-api';
import { HistoryPage } from '../history/history-page';
import { APP_TITLE, pageTitle } from '../page-title';
import { matchRoute, navigate, usePathname } from '../router';
import { SilencesPage } from '../silences/silences-page';
import { loadSoundOn, saveSoundOn } from '../sound-preference';
import { SimulatorPage } from '../simulator/simulator-page';
import { canRead, type Session } from '../types';
import { AlertBoard } from './alert-board';
import { AlertDetailPage } from './alert-detail';
import { LiveBanner } from './live-banner';
import { LoginPage } from './login-page';
import { Shell } from './shell';
import { WingBoard } from './wing-board';

const SIGNED_OUT = new ApiError(401, 'Your session has ended. Sign in again.');

export function App() {
  // undefined: still asking the server who we are.
  const [session, setSession] = useState<Session | null>();
  const [notice, setNotice] = useState<ApiError>();

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setNotice(SIGNED_OUT);
      setSession(null);
    });
    api.session().then(setSession, (err: unknown) => {
      const e = asApiError(err);
      if (e.status !== 401) setNotice(e);
      setSession(null);
    });
    return () => setUnauthorizedHandler(undefined);
  }, []);

  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) {
    return (
      <LoginPage
        notice={notice}
        onSignedIn={(s) => {
          setNotice(undefined);
          setSession(s);
          if (window.location.pathname === '/login') navigate('/', { replace: true });
        }}
      />
    );
  }
  return (
    <SignedIn
      key={session.username}
      session={session}
      onSignedOut={(why) => {
        setNotice(why);
        setSession(null);
      }}
    />
  );
}

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: (why?: ApiError) => void }) {
  const [sound, setSound] = useState(loadSoundOn);
  const soundRef = useRef(sound);
  soundRef.current = sound;
  const [announcement, setAnnouncement] = useState<Announcement>({ text: '' });
  const [feed] = useState(() =>
    canRead(session.role)
      ? new AlertFeed({
          onNewCritical: (alert) => {
            setAnnouncement({
              text: `New critical alert: ${localizeInstants(alert.title)}`,
              alertId: alert.alertId,
            });
            if (soundRef.current) beep();
          },
          onSignedOut: () => onSignedOut(SIGNED_OUT),
        })
      : undefined,
  );
  useEffect(() => {
    feed?.start();
    return () => feed?.stop();
  }, [feed]);

  const signOut = () => {
    api.logout().then(
      () => onSignedOut(),
      // Signing out failed (server away): say so rather than pretend.
      (err: unknown) => setAnnouncement({ text: `Sign out failed: ${asApiError(err).message}` }),
    );
  };

  return (
    <SessionContext.Provider value={session}>
      <FeedContext.Provider value={feed}>
        <Shell
          session={session}
          onSignOut={signOut}
          sound={sound}
          onSound={(on) => {
            saveSoundOn(on);
            setSound(on);
          }}
          banner={feed ? <FeedBanner feed={feed} /> : <LiveBanner state={undefined} />}
          announcement={feed ? <FeedAttention feed={feed} announcement={announcement} /> : announcement.text}
        >
          {feed ? <Pages /> : <SimulatorPage />}
        </Shell>
      </FeedContext.Provider>
    </SessionContext.Provider>
  );
}

/** What the announcer says; `alertId` when it is about a new critical alert. */
interface Announcement {
  text: string;
  alertId?: string;
}

/**
 * The announcer's text and the tab title. A critical alert's announcement stays only while the alert is new
 * (open and not yet opened by anyone here): once acknowledged, resolved or looked at, a red "New critical
 * alert" line would only mislead the next glance.
 */
function FeedAttention({ feed, announcement }: { feed: AlertFeed; announcement: Announcement }) {
  useStoreVersion(feed);
  const { live } = useFeedState(feed);
  const newCritical = feed.store.fresh.size;
  useEffect(() => {
    document.title = pageTitle(newCritical, live);
  }, [newCritical, live]);
  useEffect(
    () => () => {
      document.title = APP_TITLE;
    },
    [],
  );
  const stale = announcement.alertId !== undefined && !feed.store.fresh.has(announcement.alertId);
  return stale ? '' : announcement.text;
}

function FeedBanner({ feed }: { feed: AlertFeed }) {
  return <LiveBanner state={useFeedState(feed)} />;
}

function Pages() {
  const route = matchRoute(usePathname());
  const { role } = useSession();
  useEffect(() => {
    // Signed in already: the login page has nothing to offer.
    if (route.page === 'login') navigate('/', { replace: true });
  }, [route.page]);
  // Testers see the simulator only (SignedIn); operators and analysts may not drive it: no such page.
  if (route.page === 'simulator' && role === 'admin') return <SimulatorPage />;
  if (route.page === 'history' || route.page === 'detainee') {
    if (!canReadHistory(role)) return <NotAllowed why="history is for analysts and admins" />;
    if (route.page === 'history') return <HistoryPage />;
    return <DetaineeTimelinePage key={route.detaineeId} detaineeId={route.detaineeId} />;
  }
  if (
    route.page === 'users' ||
    route.page === 'sites' ||
    route.page === 'audit' ||
    route.page === 'admin-other'
  ) {
    if (!isAdmin(role))
      return <NotAllowed why="user administration, site models and the audit log are for admins" />;
    if (route.page === 'users') return <UsersPage />;
    if (route.page === 'sites') return <SitesPage />;
    if (route.page === 'audit') return <AuditPage />;
  }
  switch (route.page) {
    case 'board':
    case 'login':
      return <AlertBoard />;
    case 'wings':
      return <WingBoard />;
    case 'alert':
      return <AlertDetailPage key={route.alertId} alertId={route.alertId} />;
    case 'silences':
      return <SilencesPage />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            There is no page at <code>{window.location.pathname}</code>.
          </p>
        </section>
      );
  }
}

function NotAllowed({ why }: { why: string }) {
  return (
    <section>
      <h1>Not allowed</h1>
      <p role="alert">Your role may not see this page: {why}.</p>
    </section>
  );
}
