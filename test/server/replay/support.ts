import type {
  Alarm,
  AlarmTransition,
  KpiUpdate,
  PlantEvent,
  PlantSnapshot,
  ReplayState,
} from '../../../protocol';
import { FrameState } from '../../../server/recording/frameState';
import type { TestClient } from '../../helpers/server';
import { type Answer, send } from '../access/support';

/** Recorder tuning for tests: chunks of 5 frames (or 300 ms), a keyframe group every 3 sim s. */
export const QUICK = { keyframeEveryS: 3, chunkFrames: 5, flushEveryMs: 300 };

/** What a client holds: the fold of its snapshot and everything it received since. */
export interface Watched {
  /** Frames received (as Buffers), in order. */
  frames: Uint8Array[];
  /** The client's state after `n` frames (default: all received so far). */
  at(n?: number): {
    tick: number;
    simTimeS: number;
    keyframe: Uint8Array;
    alarms: Alarm[];
    alarmSeq: number;
    events: PlantEvent[];
    seq: number;
    kpis: KpiUpdate;
  };
}

type Received =
  | { k: 'f'; frame: Uint8Array }
  | { k: 'e'; event: PlantEvent }
  | { k: 'a'; t: AlarmTransition }
  | { k: 'k'; kpis: KpiUpdate };

/**
 * Starts folding what `c` receives from `snapshot` on (call before any frame after it arrives:
 * right after the snapshot). Alarms, events and KPIs are folded as the client's stores do.
 */
export function watch(c: TestClient, snapshot: PlantSnapshot): Watched {
  const log: Received[] = [];
  c.on('telemetry:frame', (f) => log.push({ k: 'f', frame: new Uint8Array(f as ArrayBuffer) }));
  c.on('plant:event', (event) => log.push({ k: 'e', event }));
  c.on('alarm:changed', (t) => log.push({ k: 'a', t }));
  c.on('kpi:update', (kpis) => log.push({ k: 'k', kpis }));
  const kinds = snapshot.plant.equipment.map((e) => e.kind);
  return {
    get frames() {
      return log.filter((r) => r.k === 'f').map((r) => (r as { frame: Uint8Array }).frame);
    },
    at(n = Number.POSITIVE_INFINITY) {
      const fs = new FrameState(kinds);
      fs.apply(new Uint8Array(snapshot.keyframe), true);
      fs.tick = snapshot.tick;
      fs.simTimeS = snapshot.simTimeS;
      const alarms = new Map(snapshot.alarms.map((a) => [a.id, a]));
      let alarmSeq = snapshot.alarmSeq;
      const events = snapshot.events.slice();
      let seq = snapshot.seq;
      let kpis = snapshot.kpis;
      let seen = 0;
      // Items after the n-th frame belong to a later tick (a tick sends its frame first).
      for (const r of log) {
        if (r.k === 'f') {
          if (seen === n) break;
          seen++;
          fs.apply(r.frame, true);
        } else if (r.k === 'e') {
          events.push(r.event);
          seq = r.event.seq;
        } else if (r.k === 'a') {
          if (r.t.to === 'normal') alarms.delete(r.t.alarmId);
          else alarms.set(r.t.alarmId, r.t.alarm);
          alarmSeq = Math.max(alarmSeq, r.t.seq);
        } else kpis = r.kpis;
      }
      return {
        tick: fs.tick,
        simTimeS: fs.simTimeS,
        keyframe: new Uint8Array(fs.keyframe()),
        alarms: [...alarms.values()],
        alarmSeq,
        events: events.slice(-100),
        seq,
        kpis,
      };
    },
  };
}

/** Alarms by id, without `value` (a snapshot carries the latest value of an active alarm). */
export function byId(a: Alarm[]): Omit<Alarm, 'value'>[] {
  return [...a].sort((x, y) => x.id.localeCompare(y.id)).map(({ value: _v, ...rest }) => rest);
}

/** Sends `replay:seek` and returns the state (fails the test on a refusal). */
export async function seek(c: TestClient, id: string, simS: number): Promise<ReplayState> {
  const a = await send(c, 'replay:seek', { id, simS });
  if (!a.ok) throw new Error(`replay:seek refused: ${JSON.stringify(a)}`);
  return (a as unknown as { state: ReplayState }).state;
}

/** Sends a replay request and resolves with the answer. */
export function ask(c: TestClient, event: string, payload: unknown): Promise<Answer> {
  return send(c, event, payload);
}

/** Bytes of an ArrayBuffer or Buffer as received over Socket.IO. */
export function bytes(x: ArrayBuffer | Uint8Array): Buffer {
  return Buffer.from(x instanceof Uint8Array ? x : new Uint8Array(x));
}
