import { TransformControls } from '@react-three/drei';
import { type RefObject, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { BoxGeometry, EdgesGeometry, type Group, LineBasicMaterial } from 'three';
import { palette } from '../theme';
import type { EquipmentLink } from './DesignEquipment';
import { placeBox } from './DesignEquipment';
import { useDesignStore } from './designStore';
import { rezone } from './edits/autoZone';
import { moveMany, rotateMany, snapToNeighbours } from './edits/selectionEdits';
import { type Footprint, footprintOf } from './footprint';
import {
  type DraftEquipment,
  MOVE_SNAP_M,
  moveEquipment,
  normalizeDeg,
  ROTATE_SNAP_DEG,
  rotateEquipment,
  snapTo,
} from './layoutEdits';

const DEG = Math.PI / 180;

/** How far the selection outline stands off the box, m. */
const OUTLINE_PAD = 0.25;

/** Props of SelectionGizmo. */
export type SelectionGizmoProps = {
  /** The selected equipment, or null. */
  selected: DraftEquipment | null;
  /** The rest of a multi-selection: they follow the gizmo rigidly. */
  others: readonly DraftEquipment[];
  link: EquipmentLink;
  /** Set when a press lands on a gizmo handle, so the canvas does not take its click as a miss. */
  pressed: { current: boolean };
};

const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

/** Yaw of a group about +y, rad, from its matrix (robust where Euler angles flip past ±90°). */
function yawOf(g: Group): number {
  g.updateMatrix();
  const e = g.matrix.elements;
  return Math.atan2(-e[2], e[0]);
}

const _o: Footprint = { sx: 1, sy: 1, sz: 1 };

/** The outline of another piece of a multi-selection, at its stored pose. */
function OtherOutline({
  e,
  edges,
  material,
}: {
  e: DraftEquipment;
  edges: EdgesGeometry;
  material: LineBasicMaterial;
}) {
  footprintOf(e, _o);
  const y0 = e.kind !== 'base-station' ? Math.max(0, e.position[1]) : 0;
  return (
    <group position={[e.position[0], 0, e.position[2]]} rotation={[0, (e.rotation ?? 0) * DEG, 0]}>
      <lineSegments
        geometry={edges}
        material={material}
        position={[0, y0 + _o.sy / 2, 0]}
        scale={[_o.sx + OUTLINE_PAD, _o.sy + OUTLINE_PAD, _o.sz + OUTLINE_PAD]}
        renderOrder={10}
      />
    </group>
  );
}

/**
 * The selected equipment's outline and drei's TransformControls on it: moves on the floor plane
 * (x/z handles) or turns about y, snapped to 0.5 m and 15° when snapping is on. The box follows
 * the drag directly (no React render per pointer move); the edit is committed on release.
 */
export function SelectionGizmo({ selected, others, link, pressed }: SelectionGizmoProps) {
  const group = useRef<Group>(null);
  const snap = useDesignStore((s) => s.snap);
  const tool = useDesignStore((s) => s.tool);
  const edges = useMemo(() => new EdgesGeometry(new BoxGeometry(1, 1, 1)), []);
  const lineMaterial = useMemo(
    () => new LineBasicMaterial({ color: palette.selection, depthTest: false }),
    [],
  );
  useEffect(() => () => edges.dispose(), [edges]);
  useEffect(() => () => lineMaterial.dispose(), [lineMaterial]);

  useLayoutEffect(() => {
    const g = group.current;
    if (!g || !selected) return;
    g.position.set(selected.position[0], 0, selected.position[2]);
    g.rotation.set(0, (selected.rotation ?? 0) * DEG, 0);
  }, [selected]);

  if (selected) footprintOf(selected, _f);
  const y0 = selected && selected.kind !== 'base-station' ? Math.max(0, selected.position[1]) : 0;

  const follow = () => {
    const g = group.current;
    const i = selected ? link.index.get(selected.id) : undefined;
    if (!g || !selected || i === undefined || !link.mesh) return;
    const yaw = yawOf(g);
    placeBox(link.mesh, i, selected, g.position.x, g.position.z, yaw, link.flat?.has(selected.id));
    if (others.length === 0) return;
    // The others keep their place relative to the gizmo's piece: turned by the same angle about it.
    const turn = yaw - (selected.rotation ?? 0) * DEG;
    const c = Math.cos(turn);
    const s = Math.sin(turn);
    for (const o of others) {
      const j = link.index.get(o.id);
      if (j === undefined) continue;
      const rx = o.position[0] - selected.position[0];
      const rz = o.position[2] - selected.position[2];
      const yawO = (o.rotation ?? 0) * DEG + turn;
      placeBox(
        link.mesh,
        j,
        o,
        g.position.x + rx * c + rz * s,
        g.position.z - rx * s + rz * c,
        yawO,
        link.flat?.has(o.id),
      );
    }
  };

  const release = () => {
    const g = group.current;
    if (!g || !selected) return;
    const { edit, snap: on, history } = useDesignStore.getState();
    const id = selected.id;
    const ids = [id, ...others.map((o) => o.id)];
    if (tool === 'translate') {
      // Only an axis that was dragged snaps: the other keeps its value (off-grid or not).
      const axis = (now: number, was: number) =>
        Math.abs(now - was) < 1e-6 ? was : on ? snapTo(now, MOVE_SNAP_M) : Number(now.toFixed(3));
      let x = axis(g.position.x, selected.position[0]);
      let z = axis(g.position.z, selected.position[2]);
      if (on) {
        // Besides the grid: an edge or centre near another equipment's snaps to it.
        const d = snapToNeighbours(history.present, ids, x - selected.position[0], z - selected.position[2], {
          x: x !== selected.position[0],
          z: z !== selected.position[2],
        });
        x = Number((selected.position[0] + d.dx).toFixed(6));
        z = Number((selected.position[2] + d.dz).toFixed(6));
      }
      if (x !== selected.position[0] || z !== selected.position[2]) {
        if (others.length === 0) return edit((l) => rezone(moveEquipment(l, id, x, z), ids));
        const [dx, dz] = [x - selected.position[0], z - selected.position[2]];
        return edit((l) => rezone(moveMany(l, ids, dx, dz), ids));
      }
    } else {
      const raw = yawOf(g) / DEG;
      const deg = normalizeDeg(on ? snapTo(raw, ROTATE_SNAP_DEG) : Number(raw.toFixed(2)));
      const was = normalizeDeg(selected.rotation ?? 0);
      if (deg !== was) {
        if (others.length === 0) return edit((l) => rezone(rotateEquipment(l, id, deg), ids));
        const [px, pz] = [selected.position[0], selected.position[2]];
        return edit((l) => rezone(rotateMany(l, ids, px, pz, normalizeDeg(deg - was)), ids));
      }
    }
    // Nothing changed (a nudge under the snap): the gizmo and the box go back to the stored pose.
    g.position.set(selected.position[0], 0, selected.position[2]);
    g.rotation.set(0, (selected.rotation ?? 0) * DEG, 0);
    follow();
  };

  return (
    <>
      <group ref={group} visible={selected !== null}>
        <lineSegments
          geometry={edges}
          material={lineMaterial}
          position={[0, y0 + _f.sy / 2, 0]}
          scale={[_f.sx + OUTLINE_PAD, _f.sy + OUTLINE_PAD, _f.sz + OUTLINE_PAD]}
          renderOrder={10}
        />
        {/* Undoes the group's stored pose, so the others' outlines sit where they are and follow it rigidly. */}
        <group rotation={[0, -(selected?.rotation ?? 0) * DEG, 0]}>
          <group position={[-(selected?.position[0] ?? 0), 0, -(selected?.position[2] ?? 0)]}>
            {others.map((o) => (
              <OtherOutline key={o.id} e={o} edges={edges} material={lineMaterial} />
            ))}
          </group>
        </group>
      </group>
      {selected && (
        <TransformControls
          object={group as RefObject<Group>}
          mode={tool}
          showX={tool === 'translate'}
          showY={tool === 'rotate'}
          showZ={tool === 'translate'}
          translationSnap={snap ? MOVE_SNAP_M : null}
          rotationSnap={snap ? ROTATE_SNAP_DEG * DEG : null}
          size={0.9}
          onObjectChange={follow}
          onMouseDown={() => {
            pressed.current = true;
          }}
          onMouseUp={release}
        />
      )}
    </>
  );
}
