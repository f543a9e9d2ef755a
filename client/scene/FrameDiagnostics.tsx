import { addAfterEffect, addEffect, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { Vector3 } from 'three';
import { diagnostics, recordFrameMs } from '../state/diagnostics';
import type { TwinBuffer } from '../state/twinBuffer';
import type { PlantIndex } from './plantIndex';
import { equipmentCenter } from './poseMath';

/** Props of FrameDiagnostics. */
export type FrameDiagnosticsProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
};

const _center = new Float32Array(3);
const _ndc = new Vector3();

/**
 * Feeds `window.__twin`: main-thread ms per frame (from before the first useFrame to after the
 * render), draw calls and triangles of the frame just rendered, and `screenPosition(id)`.
 */
export function FrameDiagnostics({ plant, buffer }: FrameDiagnosticsProps) {
  const get = useThree((s) => s.get);

  useEffect(() => {
    let startedAt = 0;
    const before = addEffect(() => {
      startedAt = performance.now();
    });
    // After-effects run after every root rendered; renderer.info resets at each render (autoReset),
    // so this reads exactly the frame just drawn.
    const after = addAfterEffect(() => {
      recordFrameMs(performance.now() - startedAt);
      const info = get().gl.info.render;
      diagnostics.drawCalls = info.calls;
      diagnostics.triangles = info.triangles;
    });
    return () => {
      before();
      after();
    };
  }, [get]);

  useEffect(() => {
    diagnostics.screenPosition = (id: string) => {
      const i = buffer.indexById.get(id);
      if (i === undefined) return null;
      const { camera, gl } = get();
      equipmentCenter(plant, buffer, i, performance.now(), _center);
      _ndc.set(_center[0], _center[1], _center[2]).project(camera);
      // Behind the camera (z > 1 after projection) or outside the view: not on screen.
      if (_ndc.z > 1 || _ndc.z < -1 || Math.abs(_ndc.x) > 1 || Math.abs(_ndc.y) > 1) return null;
      const rect = gl.domElement.getBoundingClientRect();
      return {
        x: rect.left + window.scrollX + ((_ndc.x + 1) / 2) * rect.width,
        y: rect.top + window.scrollY + ((1 - _ndc.y) / 2) * rect.height,
      };
    };
    return () => {
      diagnostics.screenPosition = () => null;
    };
  }, [plant, buffer, get]);

  return null;
}
