import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  LineBasicMaterial,
  LineLoop,
  Plane,
  Raycaster,
  Vector2,
  Vector3,
} from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import { palette } from '../theme';
import { useDesignStore } from './designStore';
import { addToSelection, equipmentInArea } from './edits/areaSelect';

/** Pointer travel (CSS px) after which a Shift press is a drag, not a Shift+click. */
const DRAG_PX = 4;
/** Height the rectangle is drawn at, m (over the zones and the grid). */
const LIFT = 0.05;

const FLOOR = new Plane(new Vector3(0, 1, 0), 0);
const _ndc = new Vector2();
const _hit = new Vector3();

/**
 * Box selection: Shift+drag on the view draws a rectangle on the floor, and on release everything
 * standing in it (its centre) joins the selection. A Shift press that hardly moves stays a
 * Shift+click (adds one piece). The orbit controls pause during the press; the rectangle is moved
 * in place (no React render per pointer move).
 */
export function AreaSelect() {
  const gl = useThree((s) => s.gl);
  const camera = useThree((s) => s.camera);
  const controls = useThree((s) => s.controls) as OrbitControlsImpl | null;
  const loop = useMemo(() => {
    const g = new BufferGeometry();
    g.setAttribute('position', new BufferAttribute(new Float32Array(12), 3));
    const l = new LineLoop(g, new LineBasicMaterial({ color: palette.selection }));
    l.visible = false;
    l.frustumCulled = false;
    l.renderOrder = 11;
    return l;
  }, []);
  useEffect(
    () => () => {
      loop.geometry.dispose();
      (loop.material as LineBasicMaterial).dispose();
    },
    [loop],
  );

  useEffect(() => {
    const canvas = gl.domElement;
    // Listened on the canvas's parent in the capture phase: before the orbit controls see the press.
    const host = canvas.parentElement ?? canvas;
    const raycaster = new Raycaster();
    /** The floor point (m) under page point (px, py), into `out`; false when the ray misses it. */
    const floorAt = (px: number, py: number, out: Vector3) => {
      const r = canvas.getBoundingClientRect();
      _ndc.set(((px - r.left) / r.width) * 2 - 1, -((py - r.top) / r.height) * 2 + 1);
      raycaster.setFromCamera(_ndc, camera);
      return raycaster.ray.intersectPlane(FLOOR, out) !== null;
    };
    const start = new Vector3();
    let press: { x: number; y: number; floor: boolean; dragging: boolean } | null = null;
    const draw = (end: Vector3) => {
      const a = loop.geometry.getAttribute('position') as BufferAttribute;
      a.setXYZ(0, start.x, LIFT, start.z);
      a.setXYZ(1, end.x, LIFT, start.z);
      a.setXYZ(2, end.x, LIFT, end.z);
      a.setXYZ(3, start.x, LIFT, end.z);
      a.needsUpdate = true;
      loop.visible = true;
    };
    const move = (e: PointerEvent) => {
      if (!press) return;
      if (!press.dragging && Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_PX) return;
      press.dragging = true;
      if (press.floor && floorAt(e.clientX, e.clientY, _hit)) draw(_hit);
    };
    const up = (e: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      const p = press;
      press = null;
      loop.visible = false;
      if (controls) controls.enabled = true;
      if (!p?.dragging || !p.floor || !floorAt(e.clientX, e.clientY, _hit)) return;
      const s = useDesignStore.getState();
      const picked = equipmentInArea(s.history.present, start.x, start.z, _hit.x, _hit.z);
      if (picked.length) s.selectMany(addToSelection(s.selection, picked));
    };
    const down = (e: PointerEvent) => {
      if (!e.shiftKey || e.button !== 0 || e.target !== canvas) return;
      press = { x: e.clientX, y: e.clientY, floor: floorAt(e.clientX, e.clientY, start), dragging: false };
      // The view stays put while the rectangle is drawn (Shift+drag would otherwise pan it).
      if (controls) controls.enabled = false;
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    };
    host.addEventListener('pointerdown', down, true);
    return () => {
      host.removeEventListener('pointerdown', down, true);
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  }, [gl, camera, controls, loop]);

  return <primitive object={loop} />;
}
