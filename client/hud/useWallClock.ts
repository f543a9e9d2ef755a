import { useEffect, useState } from 'react';

/**
 * Date.now(), refreshed every `periodMs` while `active` (countdowns: a second is the human rate).
 * Inactive, it does not tick and costs no renders.
 */
export function useWallClock(active: boolean, periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(id);
  }, [active, periodMs]);
  return now;
}
