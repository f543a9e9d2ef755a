import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import { MathUtils, PerspectiveCamera, Vector3 } from 'three';
import { nextAlarmToShow } from '../../showcase/alarmFocus';
import type { ShowcaseParams } from '../../showcase/showcaseParams';
import { tourIndices } from '../../showcase/showcaseParams';
import { TourController, type TourStop } from '../../showcase/tourController';
import { useTourStore } from '../../showcase/tourStore';
import { useAlarmStore } from '../../state/alarmStore';
import type { TwinBuffer } from '../../state/twinBuffer';
import type { PlantIndex } from '../plantIndex';
import { equipmentCenter } from '../poseMath';

/** Props of ShowcaseCamera. */
export type ShowcaseCameraProps = {
  plant: PlantIndex;
  buffer: TwinBuffer;
  params: ShowcaseParams;
};

/** Slow orbit while dwelling, rad/s (~1.7° per 10 s: alive, never distracting). */
const DRIFT_RAD_PER_S = MathUtils.degToRad(0.17);
/** View elevation when showing an alarm's equipment, rad. */
const ALARM_ELEVATION = MathUtils.degToRad(30);

const _goalPos = new Vector3();
const _goalTarget = new Vector3();
const _center = new Float32Array(3);
const _rel = new Vector3();

/** Smooth start and stop (quintic smootherstep: no jerk at either end). */
function ease(t: number): number {
  return t * t * t * (t * (t * 6 - 15) + 10);
}

/**
 * The showcase's camera, used instead of the operator's orbit rig: a TourController picks the
 * stop, this flies there with an eased path of `flightMs`, then drifts slowly around the target
 * while dwelling. A new urgent unacknowledged alarm interrupts the tour: the camera flies to its
 * equipment (following it when it moves), holds, then the tour resumes.
 */
export function ShowcaseCamera({ plant, buffer, params }: ShowcaseCameraProps) {
  const camera = useThree((s) => s.camera);
  const state = useMemo(() => {
    const viewpoints = plant.layout.viewpoints;
    const order = tourIndices(
      viewpoints.map((v) => v.id),
      params.tour,
    );
    return {
      controller: new TourController(order, params.dwellMs, params.flightMs, params.alarmHoldMs),
      shown: new Set<string>(),
      pendingAlarm: null as { id: string; equipmentId: string } | null,
      first: true,
      flightStart: 0,
      fromPos: new Vector3(),
      fromTarget: new Vector3(),
      target: new Vector3(),
      /** Offset of the camera from an alarm's equipment, m. */
      alarmOffset: new Vector3(),
      alarmIndex: -1,
    };
  }, [plant, params]);

  useLayoutEffect(() => {
    if (camera instanceof PerspectiveCamera) {
      camera.fov = 38;
      camera.near = 0.3;
      camera.far = Math.max(1500, plant.sphere.radius * 12);
      camera.updateProjectionMatrix();
    }
    const b = plant.bounds;
    state.target.set((b.minX + b.maxX) / 2, 0, (b.minZ + b.maxZ) / 2);
  }, [camera, plant, state]);

  // New urgent alarms arrive through the store (low rate); the frame loop picks them up.
  useEffect(() => {
    const check = () => {
      const a = nextAlarmToShow(useAlarmStore.getState().alarms, state.shown);
      if (!a || !buffer.indexById.has(a.equipmentId)) return;
      state.shown.add(a.id);
      state.pendingAlarm = { id: a.id, equipmentId: a.equipmentId };
      useTourStore.setState({
        focus: {
          alarmId: a.id,
          equipmentId: a.equipmentId,
          priority: a.priority === 'critical' ? 'critical' : 'high',
          message: a.message,
          text: a.text,
        },
      });
    };
    check();
    return useAlarmStore.subscribe(check);
  }, [buffer, state]);

  useEffect(() => () => useTourStore.setState({ viewpoint: null, index: -1, focus: null }), []);

  function begin(stop: TourStop, now: number): void {
    state.fromPos.copy(camera.position);
    state.fromTarget.copy(state.target);
    state.flightStart = state.first ? now - params.flightMs : now;
    state.first = false;
    if (stop.kind === 'viewpoint') {
      const vp = plant.layout.viewpoints[stop.viewpoint];
      state.alarmIndex = -1;
      // A viewpoint ends any alarm caption; only a change of stop touches the store.
      useTourStore.setState({ viewpoint: vp.id, index: stop.step, focus: null });
      return;
    }
    const i = buffer.indexById.get(stop.equipmentId) ?? -1;
    state.alarmIndex = i;
    if (i < 0) return;
    const o = i * 6;
    const e = plant.extent;
    const size = Math.hypot(e[o + 3], e[o + 4], e[o + 5]);
    const dist = MathUtils.clamp(size * 2.2 + 5, 7, 50);
    equipmentCenter(plant, buffer, i, now, _center);
    const azimuth = Math.atan2(camera.position.x - _center[0], camera.position.z - _center[2]);
    state.alarmOffset.set(
      dist * Math.cos(ALARM_ELEVATION) * Math.sin(azimuth),
      dist * Math.sin(ALARM_ELEVATION),
      dist * Math.cos(ALARM_ELEVATION) * Math.cos(azimuth),
    );
  }

  useFrame(() => {
    const now = performance.now();
    const c = state.controller;
    if (state.pendingAlarm) {
      const { id, equipmentId } = state.pendingAlarm;
      state.pendingAlarm = null;
      begin(c.showAlarm(id, equipmentId, now), now);
    } else {
      const next = c.update(now);
      if (next) begin(next, now);
    }
    const stop = c.stop;
    if (!stop) return;
    // Where this stop wants the camera now.
    if (stop.kind === 'viewpoint') {
      const vp = plant.layout.viewpoints[stop.viewpoint];
      _goalTarget.set(vp.target[0], vp.target[1], vp.target[2]);
      _goalPos.set(vp.position[0], vp.position[1], vp.position[2]);
    } else if (state.alarmIndex >= 0) {
      equipmentCenter(plant, buffer, state.alarmIndex, now, _center);
      _goalTarget.set(_center[0], _center[1], _center[2]);
      _goalPos.copy(_goalTarget).add(state.alarmOffset);
    } else return;
    const elapsed = now - state.flightStart;
    const t = Math.min(elapsed / params.flightMs, 1);
    if (stop.kind === 'viewpoint' && t >= 1) {
      // Dwell: a slow orbit of the viewpoint about its target.
      const angle = ((elapsed - params.flightMs) / 1000) * DRIFT_RAD_PER_S;
      _rel.subVectors(_goalPos, _goalTarget);
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      _goalPos.set(
        _goalTarget.x + _rel.x * cos + _rel.z * sin,
        _goalTarget.y + _rel.y,
        _goalTarget.z - _rel.x * sin + _rel.z * cos,
      );
    }
    if (t < 1) {
      const k = ease(t);
      state.target.lerpVectors(state.fromTarget, _goalTarget, k);
      camera.position.lerpVectors(state.fromPos, _goalPos, k);
      // Rise a little mid-flight so a move between two low views clears the machines.
      camera.position.y += Math.sin(Math.PI * k) * Math.min(12, state.fromPos.distanceTo(_goalPos) * 0.12);
    } else {
      state.target.copy(_goalTarget);
      camera.position.copy(_goalPos);
    }
    camera.lookAt(state.target);
  });

  return null;
}
