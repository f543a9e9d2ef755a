import { type DependencyList, useEffect, useMemo } from 'react';
import { type Detail, withDetail } from './geometryKit';
import { disposePart, type Part } from './instancedPart';

/**
 * Builds a kind's parts once per dependency change, at the plant's geometric detail, and disposes
 * them (geometry + instance buffers) when they are replaced or the component unmounts.
 */
export function useParts<T extends Record<string, Part>>(
  build: () => T,
  deps: DependencyList,
  detail: Detail = 'high',
): T {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what `build` reads.
  const parts = useMemo(() => withDetail(detail, build), [...deps, detail]);
  useEffect(
    () => () => {
      for (const p of Object.values(parts)) disposePart(p);
    },
    [parts],
  );
  return parts;
}
