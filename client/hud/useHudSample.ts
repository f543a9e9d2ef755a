import { type DependencyList, useEffect, useEffectEvent, useRef, useState } from 'react';
import { onHudTick } from './hudTicker';

/**
 * Reads a value on the shared 1 Hz HUD tick and re-renders only when its key changes.
 *
 * `read` may look at fast-changing data (the twin buffer); `keyOf` turns the result into the
 * text that is displayed, so an unchanged display means no setState and no React commit.
 * `deps` re-read at once (a selection or snapshot change), outside the tick.
 */
export function useHudSample<T>(read: () => T, keyOf: (value: T) => string, deps: DependencyList): T {
  const [value, setValue] = useState(read);
  const lastKey = useRef<string | null>(null);
  if (lastKey.current === null) lastKey.current = keyOf(value);

  const refresh = useEffectEvent(() => {
    const next = read();
    const key = keyOf(next);
    if (key === lastKey.current) return;
    lastKey.current = key;
    setValue(() => next);
  });

  useEffect(() => onHudTick(refresh), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `deps` is the caller's list of what `read` depends on.
  useEffect(() => refresh(), deps);

  return value;
}
