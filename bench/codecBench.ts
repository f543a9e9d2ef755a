import { performance } from 'node:perf_hooks';
import { FrameEncoder, MACHINE_STATES, signalsOf } from '../protocol';
import type { World } from '../server/sim/types';
import { percentile } from './stats';

/** The same content as a frame entry, as a naive JSON protocol would send it. */
function asJson(world: World): object[] {
  return world.equipment.map((e) => {
    const signals: Record<string, number> = {};
    signalsOf(e.kind).forEach((d, k) => {
      signals[d.key] = e.signals[k];
    });
    return {
      id: e.id,
      state: MACHINE_STATES[e.state],
      ...(e.pose ? { pose: { x: e.pose[0], y: e.pose[1], z: e.pose[2], yaw: e.pose[3] } } : {}),
      signals,
    };
  });
}

/** Bytes and encode time per piece of equipment: binary frame vs JSON.stringify, same run. */
export function benchCodec(world: World, rounds = 40) {
  const enc = new FrameEncoder();
  const n = world.equipment.length;
  const binMs: number[] = [];
  const jsonMs: number[] = [];
  let binBytes = 0;
  let jsonBytes = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    enc.begin(r, r);
    for (const e of world.equipment) enc.add(e.index, e.kind, e.state, e.pose, e.signals);
    binBytes = enc.finish().byteLength;
    binMs.push(performance.now() - t);
    // The JSON side builds its objects from the world too, exactly as the encoder reads it.
    t = performance.now();
    jsonBytes = Buffer.byteLength(JSON.stringify(asJson(world)));
    jsonMs.push(performance.now() - t);
  }
  const bin = percentile(binMs, 0.5);
  const json = percentile(jsonMs, 0.5);
  return {
    equipment: n,
    bytesPerEquipment: { binary: binBytes / n, json: jsonBytes / n, ratio: binBytes / jsonBytes },
    encodeUsPerEquipment: { binary: (bin * 1000) / n, json: (json * 1000) / n, speedup: json / bin },
  };
}
