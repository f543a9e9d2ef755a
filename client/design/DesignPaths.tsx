import type { ThreeEvent } from '@react-three/fiber';
import { useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  CylinderGeometry,
  LineBasicMaterial,
  type Mesh,
  MeshBasicMaterial,
  Plane,
  Vector3,
} from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { priorityColor } from '../theme';
import { useDesignStore } from './designStore';
import { type DraftNode, edgesOf, moveNode, nodesOf } from './edits/pathEdits';
import type { DraftLayout } from './layoutEdits';
import { MOVE_SNAP_M, snapTo } from './layoutEdits';
import { addNodeAt, connectTo, pickNode, usePathTool } from './pathTool';

/** Props of DesignPaths. */
export type DesignPathsProps = {
  layout: DraftLayout;
  /** Nodes some server error is about: drawn red. */
  errorNodes: ReadonlySet<string>;
  bounds: { minX: number; maxX: number; minZ: number; maxZ: number };
};

/** Node disc radius, m (an AGV is about 1.3 m long). */
const NODE_R = 0.45;
/** Height the graph is drawn at above the floor, m (over the zones and the grid). */
const LIFT = 0.06;
const NODE_COLOR = '#4fb3bf';
const CHOSEN_COLOR = '#ffffff';
const EDGE_COLOR = '#4fb3bf';

const FLOOR = new Plane(new Vector3(0, 1, 0), 0);
const _p = new Vector3();

/**
 * The AGV path network on the floor: aisles as lines, nodes as discs (red where an error is about
 * them). With the path tool on, a click on the floor adds a node, a node can be dragged (the orbit
 * controls pause meanwhile), and Shift+click on another node connects the chosen one to it.
 */
export function DesignPaths({ layout, errorNodes, bounds: b }: DesignPathsProps) {
  const on = usePathTool((s) => s.on);
  const chosen = usePathTool((s) => s.node);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const nodes = useMemo(() => nodesOf(layout), [layout]);
  const edges = useMemo(() => edgesOf(layout), [layout]);
  const disc = useMemo(() => new CylinderGeometry(NODE_R, NODE_R, 0.08, 20), []);
  const mats = useMemo(
    () => ({
      node: new MeshBasicMaterial({ color: NODE_COLOR }),
      chosen: new MeshBasicMaterial({ color: CHOSEN_COLOR }),
      error: new MeshBasicMaterial({ color: priorityColor.critical }),
      line: new LineBasicMaterial({ color: EDGE_COLOR }),
      catcher: new MeshBasicMaterial({ transparent: true, opacity: 0, depthWrite: false }),
    }),
    [],
  );
  const lineGeometry = useMemo(() => new BufferGeometry(), []);
  useEffect(
    () => () => {
      disc.dispose();
      lineGeometry.dispose();
      for (const m of Object.values(mats)) m.dispose();
    },
    [disc, lineGeometry, mats],
  );

  // Node positions by id, shared with the drag (which moves a node's lines without a render).
  const where = useRef(new Map<string, [number, number]>()).current;
  const writeLines = () => {
    const out = new Float32Array(edges.length * 6);
    let k = 0;
    for (const e of edges) {
      const a = where.get(e.a);
      const c = where.get(e.b);
      if (!a || !c) continue;
      out.set([a[0], LIFT, a[1], c[0], LIFT, c[1]], k);
      k += 6;
    }
    lineGeometry.setAttribute('position', new BufferAttribute(out.subarray(0, k), 3));
    lineGeometry.computeBoundingSphere();
  };
  useLayoutEffect(() => {
    where.clear();
    for (const n of nodes) where.set(n.id, [n.position[0], n.position[1]]);
    writeLines();
  });

  const drag = useRef<{ id: string; mesh: Mesh; moved: boolean } | null>(null);
  const down = (n: DraftNode, ev: ThreeEvent<PointerEvent>) => {
    if (!on) return;
    ev.stopPropagation();
    if (ev.shiftKey && chosen && chosen !== n.id) return connectTo(n.id);
    pickNode(n.id);
    drag.current = { id: n.id, mesh: ev.object as Mesh, moved: false };
    (ev.target as Element | null)?.setPointerCapture?.(ev.pointerId);
    if (controls) controls.enabled = false;
  };
  const move = (ev: ThreeEvent<PointerEvent>) => {
    const d = drag.current;
    if (!d || !ev.ray.intersectPlane(FLOOR, _p)) return;
    const snap = useDesignStore.getState().snap;
    const x = snap ? snapTo(_p.x, MOVE_SNAP_M) : Number(_p.x.toFixed(2));
    const z = snap ? snapTo(_p.z, MOVE_SNAP_M) : Number(_p.z.toFixed(2));
    d.mesh.position.set(x, LIFT, z);
    where.set(d.id, [x, z]);
    d.moved = true;
    writeLines();
  };
  const up = (ev: ThreeEvent<PointerEvent>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    (ev.target as Element | null)?.releasePointerCapture?.(ev.pointerId);
    if (controls) controls.enabled = true;
    const p = where.get(d.id);
    if (d.moved && p) useDesignStore.getState().edit((l) => moveNode(l, d.id, p[0], p[1]));
  };

  const w = b.maxX - b.minX + 80;
  const h = b.maxZ - b.minZ + 80;
  return (
    <group>
      <lineSegments geometry={lineGeometry} material={mats.line} renderOrder={2} />
      {nodes.map((n) => (
        <mesh
          key={n.id}
          geometry={disc}
          material={n.id === chosen ? mats.chosen : errorNodes.has(n.id) ? mats.error : mats.node}
          position={[n.position[0], LIFT, n.position[1]]}
          scale={errorNodes.has(n.id) ? 1.4 : 1}
          renderOrder={3}
          onPointerDown={(ev) => down(n, ev)}
          onPointerMove={move}
          onPointerUp={up}
          onClick={(ev) => on && ev.stopPropagation()}
        />
      ))}
      {on && (
        // Catches clicks on the floor while the path tool is on: each adds a node there.
        <mesh
          rotation={[-Math.PI / 2, 0, 0]}
          position={[(b.minX + b.maxX) / 2, 0.01, (b.minZ + b.maxZ) / 2]}
          material={mats.catcher}
          onClick={(ev) => {
            if (ev.delta > 4) return;
            ev.stopPropagation();
            addNodeAt(ev.point.x, ev.point.z);
          }}
        >
          <planeGeometry args={[w, h]} />
        </mesh>
      )}
    </group>
  );
}
