import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmTransition, KpiUpdate, PlantEvent } from '../../../protocol';
import { frameHeader } from '../../../server/recording/frameState';
import { Replay } from '../../../server/recording/replay';
import { openRecordingStore } from '../../../server/store/recordingStore';
import { defaultLayout, startTestServer, type TestServer } from '../../helpers/server';
import { simDecided, traceRun } from '../session/trace';
import { until } from '../training/support';
import { QUICK } from './support';

/** Seed 21: two vision alarms rise at ~58 s of plant time and return at ~110 s. */
const SEED = 21;
const SPEED = 50;

let server: TestServer | null = null;
afterAll(async () => {
  await server?.close();
});

const sha = (b: ArrayBuffer) => createHash('sha256').update(new Uint8Array(b)).digest('hex');

describe('the live plant at 50x, recorded', () => {
  it('replays the alarm transitions, events, KPIs and every tick state of a run stepped one step at a time', async () => {
    server = await startTestServer({ seed: SEED, speed: SPEED, record: { tuning: QUICK } });
    const s = server;
    const id = s.app.liveRecordingId!;
    await until(() => s.session.world.simTimeS >= 115, 120_000, 'the live plant to reach 115 s');
    await s.close(); // commits the recording to its last tick
    server = null;
    const store = openRecordingStore(s.dataDir);
    try {
      const info = store.get(id)!;
      const replay = new Replay(store, info);
      const { frames, items } = replay.framesBetween(-1, info.toSimS);
      const ref = traceRun({
        layout: defaultLayout(),
        seed: SEED,
        speed: SPEED,
        untilS: info.toSimS,
        drive: 'steps',
        wallMs: (i) => i * 100,
        everyStep: true,
      });
      expect(ref.endS).toBe(info.toSimS);

      const alarms: AlarmTransition[] = [];
      const events: PlantEvent[] = [];
      const kpis: KpiUpdate[] = [];
      for (const it of items)
        if (it.k === 'a') alarms.push(it.transition);
        else if (it.k === 'e') events.push(it.event);
        else if (it.k === 'k') kpis.push(it.kpis);
      const refAlarms = ref.log.flatMap((e) => (e.kind === 'alarm' ? [e.transition] : []));
      expect(refAlarms.map((t) => t.to)).toEqual(
        expect.arrayContaining(['unacknowledged', 'rtn-unacknowledged']),
      );
      // Wall stamps (`at`, `raisedAt`) are the loop's; everything else is the simulation's.
      expect(alarms.map(simDecided)).toEqual(refAlarms.map(simDecided));
      expect(events).toEqual(ref.log.flatMap((e) => (e.kind === 'event' ? [e.event] : [])));
      const refKpis = new Map(ref.kpis.map((k) => [k.simTimeS, JSON.stringify(k)]));
      expect(kpis.length).toBeGreaterThan(2);
      for (const k of kpis)
        expect(JSON.stringify(k), `KPIs at ${k.simTimeS} s`).toBe(refKpis.get(k.simTimeS));
      // Every tick's state, as the replay rebuilds it, is the stepwise run's at that step, byte for byte.
      expect(frames.length).toBeGreaterThan(10);
      for (const f of frames) {
        const { tick, simTimeS } = frameHeader(f);
        const state = replay.stateAt(simTimeS);
        expect(state.tick).toBe(tick);
        expect(sha(state.keyframe), `tick ${tick}`).toBe(ref.keyframes.get(tick));
      }
    } finally {
      store.close();
    }
  });
});
