import { useEffect, useState } from 'react';
import type { FeedState } from '../alert-feed';

export const RESTORED_MS = 5000;

/** Says when the live connection is lost, and for a few seconds that it is back (UI-CONTRACT.md). */
export function LiveBanner({ state }: { state: Pick<FeedState, 'live' | 'resumed'> | undefined }) {
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
  const text =
    live === 'lost'
      ? 'Live connection lost. Reconnecting; the board may be out of date.'
      : restored
        ? 'Live connection restored. Changes missed meanwhile have been applied.'
        : '';
  return (
    <div
      data-testid="live-banner"
      role="status"
      className={`live-banner${live === 'lost' ? ' live-lost' : restored ? ' live-restored' : ''}`}
    >
      {text}
    </div>
  );
}
