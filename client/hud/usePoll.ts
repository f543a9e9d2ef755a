import { type DependencyList, useEffect, useEffectEvent } from 'react';

/** Tells a poll's answer handler whether its poll is still wanted (unmounted or changed: not). */
export interface PollToken {
  live: boolean;
}

/**
 * Runs `run` now and again `periodMs` after each run ends (never two at once), while `enabled` and
 * while the tab is visible: a hidden tab asks nothing, and polling resumes the moment it is shown
 * again. Stops on unmount or when a dependency changes.
 */
export function usePoll(
  run: (token: PollToken) => Promise<void>,
  periodMs: number,
  deps: DependencyList,
  enabled = true,
): void {
  const tick = useEffectEvent(run);
  useEffect(() => {
    if (!enabled) return;
    const token: PollToken = { live: true };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    const step = async () => {
      timer = undefined;
      if (!token.live || document.hidden) return; // resumed by visibilitychange
      running = true;
      try {
        await tick(token);
      } finally {
        running = false;
      }
      if (token.live && !document.hidden) timer = setTimeout(step, periodMs);
    };
    const onVisibility = () => {
      if (!document.hidden && timer === undefined && !running) void step();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void step();
    return () => {
      token.live = false;
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [periodMs, enabled, ...deps]);
}
