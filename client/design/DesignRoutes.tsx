import type { ThreeEvent } from '@react-three/fiber';
import { useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  LineBasicMaterial,
  type Mesh,
  MeshBasicMaterial,
  Plane,
  SphereGeometry,
  Vector3,
} from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { priorityColor } from '../theme';
import { useDesignStore } from './designStore';
import { errorMarksProbe } from './ErrorMarksView';
import { type DraftRoute, moveWaypoint, routeErrors, routesOf, type Waypoint } from './edits/routeEdits';
import type { DraftLayout } from './layoutEdits';
import { MOVE_SNAP_M, snapTo } from './layoutEdits';
import { useLayoutTools } from './layoutTools';
import { useRouteTool, waypointAt } from './routeTool';

/** Props of DesignRoutes. */
export type DesignRoutesProps = {
  layout: DraftLayout;
  bounds: { minX: number; maxX: number; minZ: number; maxZ: number };
};

/** Waypoint ball radius, m (a drone is about 0.9 m across). */
const POINT_R = 0.35;
const ROUTE_COLOR = '#b39ddb';
const CHOSEN_COLOR = '#ffffff';

const _p = new Vector3();
const _plane = new Plane(new Vector3(0, 1, 0), 0);

type Mats = {
  line: LineBasicMaterial;
  chosenLine: LineBasicMaterial;
  errorLine: LineBasicMaterial;
  stalk: LineBasicMaterial;
  point: MeshBasicMaterial;
  chosenPoint: MeshBasicMaterial;
  errorPoint: MeshBasicMaterial;
};

/** The polyline through `pts` as segment pairs, then a faint stalk from each point down to the floor. */
function writeRoute(line: BufferGeometry, stalks: BufferGeometry, pts: readonly Waypoint[]): void {
  const seg = new Float32Array(Math.max(0, pts.length - 1) * 6);
  for (let i = 1; i < pts.length; i++) seg.set([...pts[i - 1], ...pts[i]], (i - 1) * 6);
  line.setAttribute('position', new BufferAttribute(seg, 3));
  line.computeBoundingSphere();
  const st = new Float32Array(pts.length * 6);
  pts.forEach((p, i) => {
    st.set([p[0], 0, p[2], p[0], p[1], p[2]], i * 6);
  });
  stalks.setAttribute('position', new BufferAttribute(st, 3));
  stalks.computeBoundingSphere();
}

/** One route: its polyline at the waypoints' heights, stalks to the floor and a ball per waypoint. */
function RouteView({
  route,
  chosen,
  broken,
  editable,
  mats,
  ball,
}: {
  route: DraftRoute;
  chosen: boolean;
  broken: boolean;
  editable: boolean;
  mats: Mats;
  ball: SphereGeometry;
}) {
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const picked = useRouteTool((s) => s.waypoint);
  const geos = useMemo(() => ({ line: new BufferGeometry(), stalks: new BufferGeometry() }), []);
  useEffect(
    () => () => {
      geos.line.dispose();
      geos.stalks.dispose();
    },
    [geos],
  );
  // The points as drawn: the stored ones, or one being dragged (moved without a render).
  const pts = useRef<Waypoint[]>([]);
  useLayoutEffect(() => {
    pts.current = route.waypoints.map((p) => [...p] as Waypoint);
    writeRoute(geos.line, geos.stalks, pts.current);
  }, [route, geos]);

  const drag = useRef<{ i: number; mesh: Mesh; moved: boolean } | null>(null);
  const down = (i: number, ev: ThreeEvent<PointerEvent>) => {
    if (!editable || ev.shiftKey) return;
    ev.stopPropagation();
    useLayoutTools.setState({ tab: 'routes' });
    useRouteTool.setState({ route: route.id, waypoint: i });
    drag.current = { i, mesh: ev.object as Mesh, moved: false };
    (ev.target as Element | null)?.setPointerCapture?.(ev.pointerId);
    if (controls) controls.enabled = false;
  };
  const move = (ev: ThreeEvent<PointerEvent>) => {
    const d = drag.current;
    if (!d) return;
    const p = pts.current[d.i];
    // Dragged level: across the horizontal plane at the waypoint's height.
    _plane.constant = -p[1];
    if (!ev.ray.intersectPlane(_plane, _p)) return;
    const snap = useDesignStore.getState().snap;
    p[0] = snap ? snapTo(_p.x, MOVE_SNAP_M) : Number(_p.x.toFixed(2));
    p[2] = snap ? snapTo(_p.z, MOVE_SNAP_M) : Number(_p.z.toFixed(2));
    d.mesh.position.set(p[0], p[1], p[2]);
    d.moved = true;
    writeRoute(geos.line, geos.stalks, pts.current);
  };
  const up = (ev: ThreeEvent<PointerEvent>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    (ev.target as Element | null)?.releasePointerCapture?.(ev.pointerId);
    if (controls) controls.enabled = true;
    const p = pts.current[d.i];
    if (d.moved) useDesignStore.getState().edit((l) => moveWaypoint(l, route.id, d.i, p));
  };

  const lineMat = broken ? mats.errorLine : chosen ? mats.chosenLine : mats.line;
  const pointMat = broken ? mats.errorPoint : chosen ? mats.chosenPoint : mats.point;
  return (
    <group>
      <lineSegments geometry={geos.line} material={lineMat} renderOrder={4} />
      <lineSegments geometry={geos.stalks} material={mats.stalk} renderOrder={4} />
      {route.waypoints.map((p, i) => (
        <mesh
          // biome-ignore lint/suspicious/noArrayIndexKey: a waypoint is its place in the route.
          key={i}
          geometry={ball}
          material={pointMat}
          position={p}
          scale={chosen && picked === i ? 1.6 : 1}
          onPointerDown={(ev) => down(i, ev)}
          onPointerMove={move}
          onPointerUp={up}
          onClick={(ev) => editable && ev.stopPropagation()}
        />
      ))}
    </group>
  );
}

/**
 * The draft's drone routes in the air: each a polyline through its waypoints at their heights
 * (red while the server reports a problem with it), with stalks to the floor to read the heights.
 * With the routes tab open a waypoint can be dragged level (the orbit controls pause meanwhile),
 * and while adding waypoints a click on the floor adds one to the chosen route.
 */
export function DesignRoutes({ layout, bounds: b }: DesignRoutesProps) {
  const tab = useLayoutTools((s) => s.tab);
  const chosen = useRouteTool((s) => s.route);
  const adding = useRouteTool((s) => s.adding);
  const errors = useDesignStore((s) => s.errors);
  const saved = useDesignStore((s) => s.saved);
  const routes = useMemo(() => routesOf(layout), [layout]);
  // Errors are of the saved layout: their indices are read in it.
  const broken = useMemo(
    () =>
      routeErrors(
        saved ?? layout,
        errors.map((e) => e.text),
      ),
    [errors, saved, layout],
  );
  const ball = useMemo(() => new SphereGeometry(POINT_R, 16, 12), []);
  const mats = useMemo<Mats>(
    () => ({
      line: new LineBasicMaterial({ color: ROUTE_COLOR }),
      chosenLine: new LineBasicMaterial({ color: CHOSEN_COLOR }),
      errorLine: new LineBasicMaterial({ color: priorityColor.critical }),
      stalk: new LineBasicMaterial({ color: ROUTE_COLOR, transparent: true, opacity: 0.35 }),
      point: new MeshBasicMaterial({ color: ROUTE_COLOR }),
      chosenPoint: new MeshBasicMaterial({ color: CHOSEN_COLOR }),
      errorPoint: new MeshBasicMaterial({ color: priorityColor.critical }),
    }),
    [],
  );
  const catcher = useMemo(
    () => new MeshBasicMaterial({ transparent: true, opacity: 0, depthWrite: false }),
    [],
  );
  useEffect(
    () => () => {
      ball.dispose();
      catcher.dispose();
      for (const m of Object.values(mats)) m.dispose();
    },
    [ball, mats, catcher],
  );
  useEffect(() => {
    errorMarksProbe.routes = routes.filter((r) => broken.has(r.id)).map((r) => r.id);
    return () => {
      errorMarksProbe.routes = [];
    };
  }, [routes, broken]);

  const editable = tab === 'routes';
  return (
    <group>
      {routes.map((r) => (
        <RouteView
          key={r.id}
          route={r}
          chosen={editable && r.id === chosen}
          broken={broken.has(r.id)}
          editable={editable}
          mats={mats}
          ball={ball}
        />
      ))}
      {editable && adding && chosen && (
        // Catches clicks on the floor while adding waypoints: each adds one there.
        <mesh
          rotation={[-Math.PI / 2, 0, 0]}
          position={[(b.minX + b.maxX) / 2, 0.015, (b.minZ + b.maxZ) / 2]}
          material={catcher}
          onClick={(ev) => {
            if (ev.delta > 4) return;
            ev.stopPropagation();
            waypointAt(ev.point.x, ev.point.z);
          }}
        >
          <planeGeometry args={[b.maxX - b.minX + 80, b.maxZ - b.minZ + 80]} />
        </mesh>
      )}
    </group>
  );
}
