import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import {
  BoxGeometry,
  BufferGeometry,
  Color,
  Float32BufferAttribute,
  type InstancedMesh,
  LineBasicMaterial,
  Matrix4,
  MeshBasicMaterial,
} from 'three';
import { poseMatrix } from '../scene/poseMath';
import type { ChangeMarks, MarkTone } from './changeMarks';
import { type Footprint, footprintOf } from './footprint';

/** Mark colours: the panel's swatches use the same. */
export const MARK_COLOR: Readonly<Record<MarkTone, string>> = {
  added: '#5fd38a',
  moved: '#f0b44c',
  changed: '#6fa8f0',
  removed: '#ef6a5f',
};

const DEG = Math.PI / 180;
/** Marks stand a little proud of the equipment box they wrap, m. */
const PAD = 0.25;
const _m = new Matrix4();
const _c = new Color();
const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

/** For tests: how many marks are drawn. */
export const marksProbe = { boxes: 0, ghosts: 0, lines: 0 };

/** Props of ChangeMarksView. */
export type ChangeMarksViewProps = { marks: ChangeMarks };

/**
 * The Changes panel's marks in the view: translucent boxes around added (green), moved (amber) and
 * changed (blue) equipment, faint ghosts where moved and removed (red) equipment stood, and a line
 * from each old position to the new. Two instanced meshes and one line set, rewritten only when the
 * marks change; nothing runs per frame.
 */
export function ChangeMarksView({ marks }: ChangeMarksViewProps) {
  const geometry = useMemo(() => new BoxGeometry(1, 1, 1), []);
  const solid = useMemo(
    () => new MeshBasicMaterial({ transparent: true, opacity: 0.35, depthWrite: false, toneMapped: false }),
    [],
  );
  const ghost = useMemo(
    () =>
      new MeshBasicMaterial({
        transparent: true,
        opacity: 0.22,
        depthWrite: false,
        wireframe: true,
        toneMapped: false,
      }),
    [],
  );
  const lineMaterial = useMemo(
    () => new LineBasicMaterial({ color: MARK_COLOR.moved, toneMapped: false }),
    [],
  );
  const live = useMemo(() => marks.boxes.filter((b) => !b.ghost), [marks]);
  const ghosts = useMemo(() => marks.boxes.filter((b) => b.ghost), [marks]);
  const lines = useMemo(() => {
    const g = new BufferGeometry();
    const p: number[] = [];
    for (const [x0, z0, x1, z1] of marks.lines) p.push(x0, 0.05, z0, x1, 0.05, z1);
    g.setAttribute('position', new Float32BufferAttribute(p, 3));
    return g;
  }, [marks]);
  useEffect(() => () => lines.dispose(), [lines]);
  useEffect(
    () => () => {
      geometry.dispose();
      solid.dispose();
      ghost.dispose();
      lineMaterial.dispose();
    },
    [geometry, solid, ghost, lineMaterial],
  );
  useEffect(() => {
    marksProbe.boxes = live.length;
    marksProbe.ghosts = ghosts.length;
    marksProbe.lines = marks.lines.length;
    return () => {
      marksProbe.boxes = 0;
      marksProbe.ghosts = 0;
      marksProbe.lines = 0;
    };
  }, [live, ghosts, marks]);

  const fill = (mesh: InstancedMesh | null, list: typeof live) => {
    if (!mesh) return;
    list.forEach((b, i) => {
      footprintOf(b.e, _f);
      const y0 = b.e.kind === 'base-station' ? 0 : Math.max(0, b.e.position[1]);
      const sy = _f.sy + PAD;
      mesh.setMatrixAt(
        i,
        poseMatrix(
          _m,
          b.e.position[0],
          y0 + sy / 2,
          b.e.position[2],
          (b.e.rotation ?? 0) * DEG,
          _f.sx + PAD,
          sy,
          _f.sz + PAD,
        ),
      );
      mesh.setColorAt(i, _c.set(MARK_COLOR[b.tone]));
    });
    mesh.count = list.length;
    mesh.instanceMatrix.needsUpdate = true;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
    mesh.boundingSphere = null;
  };
  const capLive = Math.max(1, live.length);
  const capGhost = Math.max(1, ghosts.length);
  const liveMesh = useRef<InstancedMesh>(null);
  const ghostMesh = useRef<InstancedMesh>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new capacity is a new mesh to fill.
  useLayoutEffect(() => {
    fill(liveMesh.current, live);
    fill(ghostMesh.current, ghosts);
  }, [live, ghosts, capLive, capGhost]);

  return (
    <group>
      {live.length > 0 && (
        <instancedMesh
          key={`l${capLive}`}
          ref={liveMesh}
          args={[geometry, solid, capLive]}
          frustumCulled={false}
          renderOrder={2}
          raycast={() => null}
        />
      )}
      {ghosts.length > 0 && (
        <instancedMesh
          key={`g${capGhost}`}
          ref={ghostMesh}
          args={[geometry, ghost, capGhost]}
          frustumCulled={false}
          renderOrder={2}
          raycast={() => null}
        />
      )}
      {marks.lines.length > 0 && (
        <lineSegments geometry={lines} material={lineMaterial} raycast={() => null} />
      )}
    </group>
  );
}
