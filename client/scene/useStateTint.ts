import { useFrame } from '@react-three/fiber';
import { useMemo, useRef } from 'react';
import type { TwinBuffer } from '../state/twinBuffer';
import type { Part } from './instancedPart';
import { type ModelMask, StateTinter } from './stateTint';

/**
 * Recolors a kind's parts when its equipment changes state: checked once per applied telemetry
 * frame (not per rendered frame), uploading only the instances whose state changed. Equipment in
 * `modelled` (drawn by an uploaded model) is hidden.
 */
export function useStateTint(
  indices: Int32Array,
  parts: Record<string, Part>,
  buffer: TwinBuffer,
  modelled: ModelMask | null = null,
): void {
  const tinter = useMemo(
    () => new StateTinter(indices, Object.values(parts), modelled),
    [indices, parts, modelled],
  );
  const seenVersion = useRef(-1);
  useFrame(() => {
    if (indices.length === 0 || buffer.version === seenVersion.current) return;
    seenVersion.current = buffer.version;
    if (tinter.update(buffer.state, buffer.mark) > 0) tinter.flush();
  });
}
