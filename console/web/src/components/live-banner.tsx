import { useEffect, useState } from 'react';
import type { FeedState } from '../alert-feed';
import { formatTime } from '../format';

export const RESTORED_MS = 5000;

/**
 * Says when the live connection is lost, and for a few seconds that it is back (UI-CONTRACT.md); while it is
 * live, what the server says may keep alerts from the board (detection stopped or behind, no feed).
 */
export function LiveBanner({
  state,
}: {
  state: (Pick<FeedState, 'live' | 'resumed'> & Partial<Pick<FeedState, 'problems' | 'lostAt'>>) | undefined;
}) {
  const [restored, setRestored] = useState(false);
  const live = state?.live;
  const resumed = state?.resumed ?? false;
  useEffect(() => {
    if (live !== 'live' || !resumed) {
      setRestored(false);
      return;
    }
    setRestored(true);
    const t = setTimeout(() => setRestored(false), RESTORED_MS);
    return () => clearTimeout(t);
  }, [live, resumed]);
  const problems = live === 'lost' ? [] : (state?.problems ?? []);
  const text =
    live === 'lost'
      ? // Since when: back from a round, the operator must know how long the board may have missed changes.
        `Live connection lost${state?.lostAt ? ` since ${formatTime(state.lostAt)}` : ''}. Reconnecting; the board may be out of date.`
      : problems.length
        ? `Alerts may be late or missing. ${problems.map((p) => p.message).join(' ')}`
        : restored
          ? 'Live connection restored. Changes missed meanwhile have been applied.'
          : '';
  const tone = live === 'lost' || problems.length ? ' live-lost' : restored ? ' live-restored' : '';
  return (
    <div data-testid="live-banner" role="status" className={`live-banner${tone}`}>
      {text}
    </div>
  );
}
