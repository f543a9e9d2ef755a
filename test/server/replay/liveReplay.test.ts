import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RecordingSummary,
  type ReplayFramesAnswer,
  type ReplayOpened,
  type ReplayTimeline,
  unpackReplayWindow,
} from '../../../protocol';
import { injectFault } from '../../../server/sim';
import { openRecordingStore } from '../../../server/store/recordingStore';
import { connectClient, nextEvent, sleep, startTestServer, type TestServer } from '../../helpers/server';
import { send } from '../access/support';
import { api, until } from '../training/support';
import { ask, byId, bytes, QUICK, seek, watch } from './support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    seed: 3,
    speed: 2,
    record: { tuning: QUICK },
    security: { requestRate: { perS: 1000, burst: 1000 } },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('recording the live plant', () => {
  it('records while clients watch, and GET /api/recordings lists the live recording', async () => {
    const viewer = await server.login('viewer');
    const id = server.app.liveRecordingId;
    expect(id).toMatch(/^live-[0-9a-f]{16}$/);
    // Chunks are committed by a worker off the tick: poll, a loaded machine only takes longer.
    let list: RecordingSummary[] = [];
    const committed = async () => {
      const r = await api(server, 'GET', '/api/recordings', viewer);
      expect(r.status).toBe(200);
      list = r.body.recordings as RecordingSummary[];
      return (list.find((x) => x.id === id)?.bytes ?? 0) > 0;
    };
    for (const end = Date.now() + 30_000; !(await committed()) && Date.now() < end; ) await sleep(100);
    const live = list.find((x) => x.id === id)!;
    expect(live).toMatchObject({ kind: 'live', sessionId: 'live', scenarioId: null, seed: 3, endedAt: null });
    expect(live.bytes).toBeGreaterThan(0);
    expect(live.toSimS).toBeGreaterThan(live.fromSimS);
    expect(Object.keys(live).sort()).toEqual(
      [
        'bytes',
        'endedAt',
        'fromSimS',
        'id',
        'kind',
        'scenarioId',
        'seed',
        'sessionId',
        'startedAt',
        'toSimS',
      ].sort(),
    );
  });

  it('replays at a seek time exactly the state a live client had at that tick, frames byte for byte', async () => {
    const watcher = await server.client('operator');
    const operator = await server.client('operator');
    const replayer = await server.client('viewer');
    const token = await server.login('viewer');
    const id = server.app.liveRecordingId!;
    // A client that connects now: its snapshot is the state at a tick between two others.
    const c = connectClient(server.url, { token: await server.login('viewer') });
    const snap = await nextEvent(c, 'plant:snapshot');
    const seen = watch(c, snap);
    const names = new Set<string>();
    watcher.onAny((event) => names.add(event));
    // An alarm raised, and acknowledged by a user between ticks: that transition is recorded too.
    const conveyors = server.session.layout.equipment.filter((e) => e.kind === 'conveyor').map((e) => e.id);
    let eq = '';
    for (let i = 0; i < 50 && !eq; i++) {
      eq = conveyors.find((x) => injectFault(server.session.world, x)) ?? '';
      if (!eq) await sleep(100);
    }
    expect(eq).not.toBe('');
    const alarmId = `conveyor-fault@${eq}`;
    await until(() => seen.at().alarms.some((a) => a.id === alarmId), 10_000, 'the alarm');
    expect(await send(operator, 'alarm:ack', { ids: [alarmId] })).toMatchObject({ ok: true });
    await until(
      () => seen.at().alarms.some((a) => a.id === alarmId && a.state === 'acknowledged'),
      5000,
      'the acknowledgement',
    );
    await until(() => seen.frames.length > 20, 10_000, 'more frames');
    c.close();
    const frames = seen.frames;
    expect(frames.length).toBeGreaterThan(10);
    const last = seen.at();
    // The recorder commits in chunks: wait until it holds the last tick the client saw.
    await until(
      () => (server.recordings!.get(id)?.toSimS ?? 0) >= last.simTimeS,
      10_000,
      'the recording to catch up',
    );
    const tl = await api(server, 'GET', `/api/recordings/${id}/timeline`, token);
    expect(tl.status).toBe(200);
    const timeline = tl.body as unknown as ReplayTimeline;
    expect(timeline.ended).toBe(false);
    expect(timeline.alarms.some((m) => m.alarmId === alarmId)).toBe(true);

    // At the snapshot's instant.
    const atSnap = await seek(replayer, id, snap.simTimeS);
    expect(atSnap.tick).toBe(snap.tick);
    expect(bytes(atSnap.keyframe).equals(bytes(snap.keyframe))).toBe(true);
    expect(byId(atSnap.alarms)).toEqual(byId(snap.alarms));
    expect(atSnap.events).toEqual(snap.events);
    expect(atSnap.kpis).toEqual(snap.kpis);
    // At every tick the client folded (a sample of them, the acknowledgement's included).
    const ticks = [1, 2, Math.floor(frames.length / 2), frames.length - 1, frames.length];
    for (const n of ticks) {
      const live = seen.at(n);
      const state = await seek(replayer, id, live.simTimeS);
      expect(state.tick, `tick ${n}`).toBe(live.tick);
      expect(bytes(state.keyframe).equals(Buffer.from(live.keyframe)), `keyframe ${n}`).toBe(true);
      expect(byId(state.alarms), `alarms ${n}`).toEqual(byId(live.alarms));
      expect(state.alarms.find((a) => a.id === alarmId)?.value).toBe(
        live.alarms.find((a) => a.id === alarmId)?.value,
      );
      expect(state.alarmSeq).toBe(live.alarmSeq);
      expect(state.events).toEqual(live.events);
      expect(state.seq).toBe(live.seq);
      expect(state.kpis).toEqual(live.kpis);
    }
    expect(last.alarms.find((a) => a.id === alarmId)?.state).toBe('acknowledged');
    // The delta frames of a window are the ones the client got, byte for byte.
    const from = seen.at(2).simTimeS;
    const to = last.simTimeS;
    const got: Uint8Array[] = [];
    for (let t = from; t < to; t += 7) {
      const w = await ask(replayer, 'replay:frames', { id, fromS: t, toS: Math.min(t + 7, to) });
      expect(w, JSON.stringify(w).slice(0, 300)).toMatchObject({ ok: true });
      got.push(...unpackReplayWindow(w as unknown as ReplayFramesAnswer).frames.map((f) => bytes(f)));
    }
    expect(got.length).toBe(frames.length - 2);
    for (let k = 0; k < got.length; k++)
      expect(bytes(got[k]).equals(bytes(frames[k + 2])), `frame ${k}`).toBe(true);
    // Replay answers went to the replayer's acks only: the room saw nothing of them.
    for (const n of names)
      expect(['telemetry:frame', 'plant:event', 'kpi:update', 'alarm:changed']).toContain(n);
  });

  it('opens a recording for the replay view with its layout and timeline', async () => {
    const c = await server.client('viewer');
    const id = server.app.liveRecordingId!;
    const a = await ask(c, 'replay:open', { id });
    expect(a.ok).toBe(true);
    const o = a as unknown as ReplayOpened;
    expect(o.recording).toMatchObject({ id, kind: 'live' });
    expect(o.layout.equipment.map((e) => e.id)).toEqual(server.session.layout.equipment.map((e) => e.id));
    expect(o.timeline.toSimS).toBeGreaterThan(o.timeline.fromSimS);
    expect(o.timeline.durationS).toBeCloseTo(o.timeline.toSimS - o.timeline.fromSimS, 9);
  });

  it('ends the live recording when the app closes, committed to the end', async () => {
    const s = await startTestServer({ seed: 5, record: { tuning: { chunkFrames: 1000 } } });
    const id = s.app.liveRecordingId!;
    await sleep(700);
    const simAtClose = s.session.world.simTimeS;
    await s.close();
    const store = openRecordingStore(s.dataDir);
    const info = store.get(id)!;
    store.close();
    expect(info.endedAt).not.toBeNull();
    expect(info.toSimS).toBeGreaterThanOrEqual(simAtClose - 1e-9);
  });

  it('gives a replay-only socket replay answers and no live stream', async () => {
    const token = await server.login('operator');
    const c = connectClient(server.url, { token, replay: true });
    let live = 0;
    c.on('plant:snapshot', () => live++);
    c.on('telemetry:frame', () => live++);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    const opened = await ask(c, 'replay:open', { id: server.app.liveRecordingId });
    expect(opened.ok).toBe(true);
    await sleep(500);
    expect(live).toBe(0);
    c.close();
  });
});
