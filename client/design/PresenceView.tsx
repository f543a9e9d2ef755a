import { useLayoutEffect, useMemo, useRef } from 'react';
import { BoxGeometry, BufferGeometry, EdgesGeometry, Float32BufferAttribute, type Group } from 'three';
import { type Peer, useCollabStore } from './collabStore';
import { useDesignStore } from './designStore';
import { type Footprint, footprintOf } from './footprint';
import { findEquipment } from './layoutEdits';

/** Props of PresenceView (none: it reads the collab and design stores). */
export type PresenceViewProps = Record<string, never>;

/** Frustum size: 0.8 m deep, 0.6 by 0.4 m at its open end (a camera you can spot, not a wall). */
const FRUSTUM_DEPTH = 0.8;
const FRUSTUM_W = 0.3;
const FRUSTUM_H = 0.2;
/** How far another user's selection outline stands off the box (outside this user's own), m. */
const OUTLINE_PAD = 0.22;

/** A pyramid of lines from the eye (origin) opening along -z, as a camera looks (shared by all). */
function frustumGeometry(): BufferGeometry {
  const d = -FRUSTUM_DEPTH;
  const c = [
    [-FRUSTUM_W, -FRUSTUM_H, d],
    [FRUSTUM_W, -FRUSTUM_H, d],
    [FRUSTUM_W, FRUSTUM_H, d],
    [-FRUSTUM_W, FRUSTUM_H, d],
  ];
  const pts: number[] = [];
  for (let i = 0; i < 4; i++) pts.push(0, 0, 0, ...c[i], ...c[i], ...c[(i + 1) % 4]);
  const g = new BufferGeometry();
  g.setAttribute('position', new Float32BufferAttribute(pts, 3));
  return g;
}

function PeerCamera({ peer, geometry }: { peer: Peer; geometry: BufferGeometry }) {
  const ref = useRef<Group>(null);
  const cam = peer.camera;
  useLayoutEffect(() => {
    if (ref.current && cam) ref.current.lookAt(cam.t[0], cam.t[1], cam.t[2]);
  }, [cam]);
  if (!cam) return null;
  return (
    <group ref={ref} position={[cam.p[0], cam.p[1], cam.p[2]]}>
      <lineSegments geometry={geometry}>
        <lineBasicMaterial color={peer.color} />
      </lineSegments>
    </group>
  );
}

const _f: Footprint = { sx: 1, sy: 1, sz: 1 };

function PeerSelection({ peer, edges }: { peer: Peer; edges: EdgesGeometry }) {
  const layout = useDesignStore((s) => s.history.present);
  const e = peer.selected ? findEquipment(layout, peer.selected) : null;
  if (!e) return null;
  const f = footprintOf(e, _f);
  return (
    <lineSegments
      geometry={edges}
      position={[e.position[0], f.sy / 2, e.position[2]]}
      rotation={[0, ((e.rotation ?? 0) * Math.PI) / 180, 0]}
      scale={[f.sx + OUTLINE_PAD, f.sy + OUTLINE_PAD, f.sz + OUTLINE_PAD]}
    >
      <lineBasicMaterial color={peer.color} />
    </lineSegments>
  );
}

/**
 * Everyone else in the draft, in the view: each one's camera as a small frustum and what each has
 * selected outlined, in their colour (the colour of their name in the top bar). Re-renders only
 * when someone's presence changes (a few times a second at most), never per frame.
 */
export function PresenceView(_: PresenceViewProps) {
  const peers = useCollabStore((s) => s.peers);
  const frustum = useMemo(frustumGeometry, []);
  const edges = useMemo(() => new EdgesGeometry(new BoxGeometry(1, 1, 1)), []);
  useLayoutEffect(
    () => () => {
      frustum.dispose();
      edges.dispose();
    },
    [frustum, edges],
  );
  return (
    <group name="presence">
      {peers.map((p) => (
        <group key={p.client}>
          <PeerCamera peer={p} geometry={frustum} />
          <PeerSelection peer={p} edges={edges} />
        </group>
      ))}
    </group>
  );
}
