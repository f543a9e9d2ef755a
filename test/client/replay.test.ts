import { afterEach, describe, expect, it } from 'vitest';
import { modeFromPath } from '../../client/modes/modeFromPath';
import {
  clockSimS,
  dueUntil,
  frameSimTimeS,
  nextMark,
  nextWindow,
  type PlaybackClock,
  previousMark,
  reanchor,
  WINDOW_S,
} from '../../client/replay/playback';
import { newestFirst } from '../../client/replay/replayApi';
import { foldItems, type ReplayFacts } from '../../client/replay/replayFold';
import { parseReplayLocation, replayHref } from '../../client/replay/replayPath';
import { ReplayPlayer } from '../../client/replay/replayPlayer';
import type { ReplayRequests } from '../../client/replay/replaySocket';
import { useReplayStore } from '../../client/replay/replayStore';
import { useAlarmStore } from '../../client/state/alarmStore';
import { usePlantStore } from '../../client/state/plantStore';
import { resetClientState } from '../../client/state/resetClientState';
import { recordingFor, replayLinkFor } from '../../client/training/replayLinks';
import {
  type Alarm,
  type AlarmTransition,
  FrameEncoder,
  type Layout,
  type PlantEvent,
  type RecordingSummary,
  type ReplayItem,
  type ReplayTimeline,
  signalsOf,
} from '../../protocol';
import { defaultLayout } from '../helpers/server';

const clock = (over: Partial<PlaybackClock> = {}): PlaybackClock => ({
  anchorSimS: 100,
  anchorWallMs: 1000,
  rate: 1,
  playing: true,
  ...over,
});

describe('replay routes and links', () => {
  it('opens the replay view at /replay and /replay/ID', () => {
    expect(modeFromPath('/replay')).toBe('replay');
    expect(modeFromPath('/replay/')).toBe('replay');
    expect(modeFromPath('/replay/live-abc')).toBe('replay');
    expect(modeFromPath('/replays')).toBe('operator');
  });

  it('reads the recording id and the start time from the URL', () => {
    expect(parseReplayLocation('/replay', '')).toEqual({ id: null, t: null });
    expect(parseReplayLocation('/replay/', '?t=5')).toEqual({ id: null, t: 5 });
    expect(parseReplayLocation('/replay/live-1a2b', '?t=90.5')).toEqual({ id: 'live-1a2b', t: 90.5 });
    expect(parseReplayLocation('/replay/trn-x%2Dy/', '')).toEqual({ id: 'trn-x-y', t: null });
  });

  it('ignores a start time that is not a non-negative number', () => {
    for (const q of ['?t=', '?t=abc', '?t=-3', '?t=Infinity', '?x=1'])
      expect(parseReplayLocation('/replay/a', q).t).toBeNull();
  });

  it('builds links that parse back to the same recording and time', () => {
    expect(replayHref('live-1')).toBe('/replay/live-1');
    expect(replayHref('live-1', 12.345)).toBe('/replay/live-1?t=12.3');
    const u = new URL(replayHref('trn a/b', 42), 'http://x');
    expect(parseReplayLocation(u.pathname, u.search)).toEqual({ id: 'trn a/b', t: 42 });
  });

  it('links a report moment to the newest recording of that session that holds it', () => {
    const rec = (
      id: string,
      sessionId: string,
      startedAt: number,
      from: number,
      to: number,
    ): RecordingSummary => ({
      id,
      kind: sessionId === 'live' ? 'live' : 'training',
      sessionId,
      scenarioId: null,
      seed: 1,
      startedAt,
      endedAt: null,
      fromSimS: from,
      toSimS: to,
      bytes: 0,
    });
    const list = [
      rec('live-1', 'live', 5, 0, 900),
      rec('trn-a', 'S1', 1, 0, 300),
      rec('trn-b', 'S1', 2, 0, 60),
    ];
    expect(recordingFor(list, 'S1', 30)?.id).toBe('trn-b');
    expect(recordingFor(list, 'S1', 200)?.id).toBe('trn-a');
    expect(recordingFor(list, 'S1', 5000)?.id).toBe('trn-b');
    expect(recordingFor(list, 'S2', 30)).toBeNull();
    expect(replayLinkFor(list, 'S1', 30)).toBe('/replay/trn-b?t=30');
    expect(replayLinkFor(list, 'live', 30)).toBeNull();
    expect(newestFirst(list).map((r) => r.id)).toEqual(['live-1', 'trn-b', 'trn-a']);
  });
});

describe('playback clock and frame scheduling', () => {
  it('runs simulation time at the playback rate from its anchor', () => {
    expect(clockSimS(clock(), 3000)).toBe(102);
    expect(clockSimS(clock({ rate: 0.25 }), 5000)).toBe(101);
    expect(clockSimS(clock({ rate: 50 }), 2000)).toBe(150);
    expect(clockSimS(clock({ playing: false }), 9000)).toBe(100);
  });

  it('clamps the time to the recording', () => {
    expect(clockSimS(clock({ rate: 50 }), 60_000, 0, 200)).toBe(200);
    expect(clockSimS(clock({ anchorSimS: -5, playing: false }), 0, 0, 200)).toBe(0);
  });

  it('keeps the time continuous across a rate change or a pause', () => {
    const c = reanchor(clock({ rate: 2 }), 2000, { rate: 10 });
    expect(c.anchorSimS).toBe(102);
    expect(clockSimS(c, 2500)).toBe(107);
    const p = reanchor(c, 3000, { playing: false });
    expect(clockSimS(p, 100_000)).toBe(112);
  });

  it('gives the frames due at a playback time, whatever the rate', () => {
    const times = [100.1, 100.2, 100.3, 100.4, 100.5, 101, 110];
    // 1x: 350 ms after the anchor, frames up to 100.3 s.
    expect(dueUntil(times, 0, clockSimS(clock(), 1350))).toBe(3);
    // 10x: the same 350 ms reach 103.5 s.
    expect(dueUntil(times, 3, clockSimS(clock({ rate: 10 }), 1350))).toBe(6);
    // 0.25x: one second of wall time is 0.25 s of simulation.
    expect(dueUntil(times, 0, clockSimS(clock({ rate: 0.25 }), 2000))).toBe(2);
    // A frame exactly at the playback time is due; nothing before `head` is given again.
    expect(dueUntil(times, 5, 101)).toBe(6);
    expect(dueUntil(times, 7, 500)).toBe(7);
  });

  it('reads the simulation time from a frame header', () => {
    const enc = new FrameEncoder(64);
    enc.begin(42, 123.4);
    expect(frameSimTimeS(enc.finish())).toBeCloseTo(123.4, 9);
    expect(frameSimTimeS(new ArrayBuffer(4))).toBeNaN();
  });

  it('fetches ahead in windows sized to the rate, never past the end', () => {
    expect(nextWindow(100, 100, 1, 1000, 30)).toEqual({ fromS: 100, toS: 100 + WINDOW_S });
    expect(nextWindow(110, 100, 1, 1000, 30)).toBeNull();
    // 50x: 3 s of wall time ahead is 150 s; each request at most the server's span.
    expect(nextWindow(200, 100, 50, 1000, 30)).toEqual({ fromS: 200, toS: 230 });
    expect(nextWindow(995, 990, 1, 1000, 30)).toEqual({ fromS: 995, toS: 1000 });
    expect(nextWindow(1000, 990, 1, 1000, 30)).toBeNull();
  });

  it('finds the next and previous alarm raise', () => {
    const marks = [{ simS: 10 }, { simS: 50 }, { simS: 90 }];
    expect(nextMark(marks, 0)?.simS).toBe(10);
    expect(nextMark(marks, 10)?.simS).toBe(50);
    expect(nextMark(marks, 90)).toBeNull();
    expect(previousMark(marks, 60)?.simS).toBe(50);
    // Standing on a raise (just jumped there): previous goes one further back.
    expect(previousMark(marks, 50)?.simS).toBe(10);
    expect(previousMark(marks, 10)).toBeNull();
  });
});

const alarm = (id: string, state: Alarm['state']): Alarm =>
  ({ id, equipmentId: 'RB-1', state, active: state !== 'normal', priority: 'high' }) as Alarm;
const transition = (seq: number, id: string, to: Alarm['state']): ReplayItem => ({
  k: 'a',
  tick: seq,
  simS: seq,
  wall: 0,
  transition: {
    seq,
    at: 0,
    alarmId: id,
    equipmentId: 'RB-1',
    from: 'normal',
    to,
    alarm: alarm(id, to),
  } as AlarmTransition,
});
const event = (seq: number): ReplayItem => ({
  k: 'e',
  tick: seq,
  simS: seq,
  wall: 0,
  event: { seq, simTimeS: seq, message: `e${seq}` } as PlantEvent,
});

describe('folding recorded items onto the seek state', () => {
  const facts = (): ReplayFacts => ({ alarms: new Map(), events: [], seq: 0, alarmSeq: 0, kpis: null });

  it('raises, changes and clears alarms in order', () => {
    const f = foldItems(
      facts(),
      [
        transition(1, 'A', 'unacknowledged'),
        transition(2, 'B', 'unacknowledged'),
        transition(3, 'A', 'acknowledged'),
      ],
      10,
    );
    expect([...f.alarms.keys()]).toEqual(['A', 'B']);
    expect(f.alarms.get('A')?.state).toBe('acknowledged');
    foldItems(f, [transition(4, 'B', 'normal')], 10);
    expect([...f.alarms.keys()]).toEqual(['A']);
    expect(f.alarmSeq).toBe(4);
  });

  it('appends events once, keeping the newest within the limit', () => {
    const f = foldItems(facts(), [1, 2, 3, 4, 5].map(event), 3);
    expect(f.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    foldItems(f, [event(5), event(6)], 3);
    expect(f.events.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(f.seq).toBe(6);
  });

  it('takes the latest KPI update', () => {
    const k = (oee: number): ReplayItem => ({ k: 'k', tick: 0, simS: 0, wall: 0, kpis: { oee } as never });
    expect(foldItems(facts(), [k(0.5), k(0.7)], 3).kpis).toEqual({ oee: 0.7 });
  });
});

/** A fake recording: one AGV moving 1 m per tick along x, frames at 10 Hz from 0 to 120 s. */
function fakeRecording(layout: Layout) {
  const agv = layout.equipment.findIndex((e) => e.kind === 'agv');
  const kinds = layout.equipment.map((e) => e.kind);
  const enc = new FrameEncoder();
  const frameAt = (tick: number, full: boolean) => {
    enc.begin(tick, tick / 10);
    layout.equipment.forEach((e, i) => {
      if (!full && i !== agv) return;
      const pose = i === agv ? [tick, 0, 0, 0] : e.kind === 'agv' || e.kind === 'drone' ? [0, 0, 0, 0] : null;
      enc.add(i, kinds[i], 1, pose, new Array(signalsOf(kinds[i]).length).fill(0));
    });
    return enc.finish();
  };
  const timeline: ReplayTimeline = {
    fromSimS: 0,
    toSimS: 120,
    durationS: 120,
    alarms: [{ simS: 30, alarmId: 'A1', priority: 'high' }],
    bookmarks: [],
    ended: true,
  };
  const calls: string[] = [];
  const requests: ReplayRequests = {
    async open() {
      calls.push('open');
      return { ok: true, layout, timeline, recording: {} as RecordingSummary };
    },
    async seek({ simS }) {
      calls.push(`seek ${simS}`);
      const tick = Math.floor(simS * 10 + 1e-6);
      const alarms = simS >= 30 ? [alarm('A1', 'unacknowledged')] : [];
      return {
        ok: true,
        state: {
          tick,
          simTimeS: tick / 10,
          keyframe: frameAt(tick, true),
          events: [],
          seq: 0,
          alarms,
          alarmSeq: 0,
          kpis: null,
        },
      };
    },
    async frames({ fromS, toS }) {
      calls.push(`frames ${fromS}-${toS}`);
      const frames: ArrayBuffer[] = [];
      for (let tick = Math.floor(fromS * 10 + 1e-6) + 1; tick <= Math.floor(toS * 10 + 1e-6); tick++)
        frames.push(frameAt(tick, false));
      const items = fromS < 30 && toS >= 30 ? [transition(1, 'A1', 'unacknowledged')] : [];
      items.forEach((x) => {
        x.simS = 30;
      });
      return { ok: true, frames, items };
    },
  };
  return { agv, requests, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ReplayPlayer', () => {
  afterEach(() => resetClientState());

  it('shows the seek state, then applies recorded frames at the playback rate', async () => {
    const layout = defaultLayout();
    const { agv, requests, calls } = fakeRecording(layout);
    let now = 10_000;
    const player = new ReplayPlayer('rec', { requests, now: () => now, loop: () => () => {} });
    await player.open(20);
    const buffer = usePlantStore.getState().buffer!;
    expect(buffer.simTimeS).toBe(20);
    expect(buffer.poseNext[agv * 4]).toBe(200);
    expect(calls).toEqual(['open', 'seek 20']);

    player.tick(); // asks for the first window
    await flush();
    expect(calls[2]).toBe('frames 20-30');
    player.setRate(5);
    player.play();
    now += 1000; // 1 s of wall time at 5x: 5 s of simulation
    player.tick();
    expect(buffer.simTimeS).toBeCloseTo(25, 6);
    expect(buffer.poseNext[agv * 4]).toBe(250);
    expect(useReplayStore.getState().playing).toBe(true);
  });

  it('holds the clock where the fetched frames end until the next window arrives', async () => {
    const layout = defaultLayout();
    const { requests } = fakeRecording(layout);
    let now = 0;
    const player = new ReplayPlayer('rec', { requests, now: () => now, loop: () => () => {} });
    await player.open(0);
    player.play();
    now += 100_000; // far past the 10 s fetched
    player.tick();
    expect(player.simS).toBe(0);
    await flush();
    player.tick();
    now += 60_000;
    player.tick();
    expect(player.simS).toBeLessThanOrEqual(10);
    expect(usePlantStore.getState().buffer!.simTimeS).toBeCloseTo(10, 6);
  });

  it('folds alarm raises in at their time and jumps to them', async () => {
    const layout = defaultLayout();
    const { requests, calls } = fakeRecording(layout);
    let now = 0;
    const player = new ReplayPlayer('rec', { requests, now: () => now, loop: () => () => {} });
    await player.open(25);
    player.tick();
    await flush();
    player.setRate(10);
    player.play();
    now += 400; // 4 s of simulation: 29 s, before the raise
    player.tick();
    expect(useAlarmStore.getState().alarms.size).toBe(0);
    now += 300; // 32 s
    player.tick();
    now += 300;
    player.tick();
    expect([...useAlarmStore.getState().alarms.keys()]).toEqual(['A1']);

    player.pause();
    await player.seek(5);
    expect(useAlarmStore.getState().alarms.size).toBe(0);
    expect(player.jumpAlarm(1)).toBe(true);
    await flush();
    expect(calls.at(-1)).toBe('seek 30');
    expect(useAlarmStore.getState().alarms.has('A1')).toBe(true);
    expect(player.jumpAlarm(1)).toBe(false);
  });

  it('keeps one seek in flight while the scrubber is dragged, ending at the last position', async () => {
    const layout = defaultLayout();
    const { requests, calls } = fakeRecording(layout);
    const player = new ReplayPlayer('rec', { requests, now: () => 0, loop: () => () => {} });
    await player.open(0);
    const first = player.seek(10);
    void player.seek(20);
    void player.seek(40);
    await first;
    await flush();
    expect(calls.filter((c) => c.startsWith('seek'))).toEqual(['seek 0', 'seek 10', 'seek 40']);
    expect(usePlantStore.getState().buffer!.simTimeS).toBe(40);
  });
});
