import { type DependencyList, useEffect, useEffectEvent } from 'react';

/**
 * Runs `paint` now and then every `intervalMs`, outside React: `paint` writes the DOM through
 * refs (textContent, classes), so live values refresh without a render or a commit.
 */
export function useRepaint(paint: () => void, intervalMs: number, deps: DependencyList): void {
  const run = useEffectEvent(paint);
  useEffect(() => {
    run();
    const timer = setInterval(() => run(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, ...deps]);
}
