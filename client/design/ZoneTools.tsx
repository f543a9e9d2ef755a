import type { ThreeEvent } from '@react-three/fiber';
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import { BoxGeometry, type Mesh, MeshBasicMaterial, Plane, Vector3 } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { palette } from '../theme';
import { useDesignStore } from './designStore';
import { entryOf, moveZoneCorner } from './edits/zoneLineEdits';
import type { DraftLayout } from './layoutEdits';
import { MOVE_SNAP_M, snapTo } from './layoutEdits';
import { useLayoutTools, zoneCornerAt } from './layoutTools';

/** Props of ZoneTools. */
export type ZoneToolsProps = {
  layout: DraftLayout;
  bounds: { minX: number; maxX: number; minZ: number; maxZ: number };
};

/** Corner handle size, m. */
const HANDLE = 0.9;
const FLOOR = new Plane(new Vector3(0, 1, 0), 0);
const _p = new Vector3();

/**
 * The zones tab's work in the view: while drawing, floor clicks give the new zone's corners (the
 * first one marked); the chosen zone shows a handle at each corner, dragged to resize it (the
 * opposite corner stays; the orbit controls pause meanwhile).
 */
export function ZoneTools({ layout, bounds: b }: ZoneToolsProps) {
  const drawing = useLayoutTools((s) => s.drawing);
  const first = useLayoutTools((s) => s.corner);
  const chosen = useLayoutTools((s) => s.zone);
  const tab = useLayoutTools((s) => s.tab);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const box = useMemo(() => new BoxGeometry(HANDLE, 0.3, HANDLE), []);
  const mat = useMemo(() => new MeshBasicMaterial({ color: palette.selection }), []);
  const catcher = useMemo(
    () => new MeshBasicMaterial({ transparent: true, opacity: 0, depthWrite: false }),
    [],
  );
  useEffect(
    () => () => {
      box.dispose();
      mat.dispose();
      catcher.dispose();
    },
    [box, mat, catcher],
  );
  const zone = tab === 'zones' && chosen ? entryOf(layout, 'zones', chosen) : null;
  const min = zone?.min as number[] | undefined;
  const max = zone?.max as number[] | undefined;
  const corners =
    Array.isArray(min) && Array.isArray(max)
      ? [
          [min[0], min[1]],
          [max[0], min[1]],
          [max[0], max[1]],
          [min[0], max[1]],
        ]
      : [];
  const drag = useRef<{ corner: number; mesh: Mesh; x: number; z: number } | null>(null);

  const down = (corner: number, ev: ThreeEvent<PointerEvent>) => {
    ev.stopPropagation();
    drag.current = { corner, mesh: ev.object as Mesh, x: Number.NaN, z: Number.NaN };
    (ev.target as Element | null)?.setPointerCapture?.(ev.pointerId);
    if (controls) controls.enabled = false;
  };
  const move = (ev: ThreeEvent<PointerEvent>) => {
    const d = drag.current;
    if (!d || !ev.ray.intersectPlane(FLOOR, _p)) return;
    const snap = useDesignStore.getState().snap;
    d.x = snap ? snapTo(_p.x, MOVE_SNAP_M) : Number(_p.x.toFixed(2));
    d.z = snap ? snapTo(_p.z, MOVE_SNAP_M) : Number(_p.z.toFixed(2));
    d.mesh.position.set(d.x, 0.15, d.z);
  };
  const up = (ev: ThreeEvent<PointerEvent>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    (ev.target as Element | null)?.releasePointerCapture?.(ev.pointerId);
    if (controls) controls.enabled = true;
    if (chosen && Number.isFinite(d.x))
      useDesignStore.getState().edit((l) => moveZoneCorner(l, chosen, d.corner, d.x, d.z));
  };

  return (
    <group>
      {corners.map(([x, z], i) => (
        <mesh
          // biome-ignore lint/suspicious/noArrayIndexKey: the four corners, in a fixed order.
          key={i}
          geometry={box}
          material={mat}
          position={[x, 0.15, z]}
          onPointerDown={(ev) => down(i, ev)}
          onPointerMove={move}
          onPointerUp={up}
          onClick={(ev) => ev.stopPropagation()}
        />
      ))}
      {drawing && first && <mesh geometry={box} material={mat} position={[first[0], 0.15, first[1]]} />}
      {drawing && (
        <mesh
          rotation={[-Math.PI / 2, 0, 0]}
          position={[(b.minX + b.maxX) / 2, 0.02, (b.minZ + b.maxZ) / 2]}
          material={catcher}
          onClick={(ev) => {
            if (ev.delta > 4) return;
            ev.stopPropagation();
            zoneCornerAt(ev.point.x, ev.point.z);
          }}
        >
          <planeGeometry args={[b.maxX - b.minX + 80, b.maxZ - b.minZ + 80]} />
        </mesh>
      )}
    </group>
  );
}
