import type { ThreeEvent } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import {
  Color,
  ConeGeometry,
  type InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  Plane,
  PlaneGeometry,
  Vector3,
} from 'three';
import { type PinState, pinsOf } from './commentPins';
import { comments, useCommentsStore } from './commentsStore';
import { useDesignStore } from './designStore';

/** Props of CommentPins (none: it reads the comments and design stores). */
export type CommentPinsProps = Record<string, never>;

/** Pins one mesh holds before it is remounted larger (a draft holds at most a few hundred threads). */
const CAPACITY = 256;
/** The pin: a cone 0.9 m wide and 1.6 m tall (seen across a hall), its tip down on what it marks. */
const PIN_R = 0.45;
const PIN_H = 1.6;
const COLOR: Record<PinState, Color> = {
  open: new Color('#e8853a'),
  mention: new Color('#ffd04a'),
  resolved: new Color('#5c6670'),
};
/** A floor square wide enough for any draft, m (only there while a comment is being pinned). */
const CATCHER_M = 4000;

const _m = new Matrix4();
const FLOOR = new Plane(new Vector3(0, 1, 0), 0);
const _p = new Vector3();

/**
 * The draft's comments in the view: a pin over each open thread's anchor (resolved ones faint, and
 * only while the panel shows them), all in one instanced mesh (one draw call); a click on a pin
 * opens its thread. While pinning, a click on the floor places the next comment there.
 */
export function CommentPins(_: CommentPinsProps) {
  const threads = useCommentsStore((s) => s.threads);
  const user = useCommentsStore((s) => s.user);
  const showResolved = useCommentsStore((s) => s.showResolved);
  const pinMode = useCommentsStore((s) => s.pinMode);
  const layout = useDesignStore((s) => s.history.present);
  const pins = useMemo(
    () => pinsOf(threads, layout, user, showResolved),
    [threads, layout, user, showResolved],
  );
  const mesh = useRef<InstancedMesh>(null);
  const geometry = useMemo(() => {
    const g = new ConeGeometry(PIN_R, PIN_H, 12);
    // Tip down, the head at the pin's point.
    g.rotateX(Math.PI);
    return g;
  }, []);
  const material = useMemo(() => new MeshBasicMaterial({ toneMapped: false }), []);
  const catcher = useMemo(() => {
    const g = new PlaneGeometry(CATCHER_M, CATCHER_M);
    g.rotateX(-Math.PI / 2);
    return {
      geometry: g,
      material: new MeshBasicMaterial({ transparent: true, opacity: 0, depthWrite: false }),
    };
  }, []);
  useEffect(
    () => () => {
      geometry.dispose();
      material.dispose();
      catcher.geometry.dispose();
      catcher.material.dispose();
    },
    [geometry, material, catcher],
  );

  useLayoutEffect(() => {
    const m = mesh.current;
    if (!m) return;
    const n = Math.min(pins.length, CAPACITY);
    for (let i = 0; i < n; i++) {
      const p = pins[i];
      m.setMatrixAt(i, _m.makeTranslation(p.x, p.y, p.z));
      m.setColorAt(i, COLOR[p.state]);
    }
    m.count = n;
    m.instanceMatrix.needsUpdate = true;
    if (m.instanceColor) m.instanceColor.needsUpdate = true;
    m.boundingSphere = null;
    m.boundingBox = null;
  }, [pins]);

  const onPin = (ev: ThreeEvent<MouseEvent>) => {
    if (ev.delta > 4 || ev.instanceId === undefined) return;
    ev.stopPropagation();
    const p = pins[ev.instanceId];
    if (p) comments.show(p.id);
  };
  const onFloor = (ev: ThreeEvent<MouseEvent>) => {
    if (ev.delta > 4) return;
    ev.stopPropagation();
    // Where the pointer's ray meets the floor (y = 0), m.
    if (!ev.ray.intersectPlane(FLOOR, _p)) return;
    const r = (v: number) => Math.round(v * 100) / 100;
    useCommentsStore.setState({ point: [r(_p.x), 0, r(_p.z)], pinMode: false, open: true });
  };

  return (
    <group name="comments">
      <instancedMesh ref={mesh} args={[geometry, material, CAPACITY]} frustumCulled={false} onClick={onPin} />
      {pinMode && (
        <mesh
          geometry={catcher.geometry}
          material={catcher.material}
          position={[0, 0.01, 0]}
          onClick={onFloor}
        />
      )}
    </group>
  );
}
