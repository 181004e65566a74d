// React access to the signed-in user's alert feed.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AlertFeed, FeedState } from './alert-feed';
import type { Session } from './types';

export const FeedContext = createContext<AlertFeed | undefined>(undefined);
export const SessionContext = createContext<Session | undefined>(undefined);

export function useFeed(): AlertFeed {
  const feed = useContext(FeedContext);
  if (!feed) throw new Error('useFeed outside a FeedContext provider');
  return feed;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a SessionContext provider');
  return session;
}

export function useFeedState(feed: AlertFeed): FeedState {
  return useSyncExternalStore(feed.subscribe, feed.getState);
}

/** Re-renders when the store has changed (at most once per flush); read the store itself for the data. */
export function useStoreVersion(feed: AlertFeed): number {
  return useSyncExternalStore(feed.store.subscribe, feed.store.getVersion);
}
