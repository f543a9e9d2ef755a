import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout, STATE_CODE, signalIndex } from '../../../protocol';
import {
  AGV_ZONE_M,
  applyCommand,
  commandsFor,
  createWorld,
  injectFault,
  type PlantEventDraft,
  SIM_DT_S,
  type SimCommand,
  stepWorld,
  type World,
} from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

const layout = defaultLayout();
const eqOf = (w: World, id: string) => w.equipment.find((e) => e.id === id)!;
const sig = (w: World, id: string, key: string) => eqOf(w, id).signals[signalIndex(eqOf(w, id).kind, key)];
const nodePos = (id: string) => layout.paths!.nodes.find((n) => n.id === id)!.position;

/** A warmed-up world without random faults, so each test sees only what its commands do. */
function world(seed = 4): World {
  const w = createWorld(layout, seed, { faults: false });
  run(w, 5);
  return w;
}

function run(w: World, seconds: number, each?: () => void): PlantEventDraft[] {
  const events: PlantEventDraft[] = [];
  for (let i = 0; i < Math.round(seconds / SIM_DT_S); i++) {
    events.push(...stepWorld(w, SIM_DT_S));
    each?.();
  }
  return events;
}

/** Everything a refusal must leave alone: states, poses, signals, and the queued events. */
function snapshot(w: World): string {
  const pending = (w as unknown as { events: unknown[] }).events;
  const eqs = w.equipment.map((e) => [e.state, e.pose ? Array.from(e.pose) : null, Array.from(e.signals)]);
  return JSON.stringify({ eqs, pending });
}

function expectRefused(w: World, cmd: SimCommand, code: string): void {
  const before = snapshot(w);
  const r = applyCommand(w, cmd);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe(code);
  expect(snapshot(w)).toBe(before);
}

describe('equipment commands', () => {
  it('offers each kind its commands and none to passive equipment', () => {
    expect(commandsFor('robot-arm')).toEqual(['start', 'stop', 'reset', 'e-stop']);
    expect(commandsFor('line')).toEqual(['start', 'stop', 'reset', 'e-stop']);
    expect(commandsFor('agv')).toEqual(['pause', 'resume', 'go-to', 'dock']);
    expect(commandsFor('drone')).toEqual(['launch-patrol', 'return-to-dock']);
    expect(commandsFor('vision-station')).toEqual(['recalibrate']);
    expect(commandsFor('transformer')).toEqual([]);
  });

  it('freezes a stopped robot, blocks its line upstream and starves it downstream, and restarts it', () => {
    const w = world();
    expect(applyCommand(w, { equipmentId: 'L1-R2', action: 'stop' })).toMatchObject({ ok: true });
    const events = run(w, 0.1);
    expect(events.map((e) => e.message)).toContain('L1-R2 stopped by command');
    expect(eqOf(w, 'L1-R2').state).toBe(STATE_CODE.idle);
    expect(eqOf(w, 'L1-R1').state).toBe(STATE_CODE.blocked);
    expect(eqOf(w, 'L1-C1').state).toBe(STATE_CODE.blocked);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.starved);
    expect(eqOf(w, 'L1-VIS').state).toBe(STATE_CODE.starved);
    expect(eqOf(w, 'L2-R2').state).toBe(STATE_CODE.running);
    const joints = Array.from(eqOf(w, 'L1-R2').signals.subarray(0, 6));
    const cycles = sig(w, 'L1-R2', 'cycles');
    run(w, 10);
    expect(Array.from(eqOf(w, 'L1-R2').signals.subarray(0, 6))).toEqual(joints);
    expect(sig(w, 'L1-R2', 'current')).toBeLessThan(0.1);
    expect(sig(w, 'L1-C2', 'beltSpeed')).toBe(0);
    expect(applyCommand(w, { equipmentId: 'L1-R2', action: 'start' })).toMatchObject({ ok: true });
    run(w, 20);
    expect(eqOf(w, 'L1-R2').state).toBe(STATE_CODE.running);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.running);
    expect(sig(w, 'L1-R2', 'cycles')).toBeGreaterThan(cycles);
  });

  it('latches an e-stop as a fault until reset, and needs a start after the reset', () => {
    const w = world();
    expect(applyCommand(w, { equipmentId: 'L1-C2', action: 'e-stop' })).toMatchObject({ ok: true });
    const events = run(w, 1);
    expect(events.some((e) => e.type === 'fault' && /emergency stop/.test(e.message))).toBe(true);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.fault);
    expect(eqOf(w, 'L1-C1').state).toBe(STATE_CODE.blocked);
    expectRefused(w, { equipmentId: 'L1-C2', action: 'start' }, 'CONFLICT');
    expect(applyCommand(w, { equipmentId: 'L1-C2', action: 'reset' })).toMatchObject({ ok: true });
    run(w, 1);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.idle);
    expect(applyCommand(w, { equipmentId: 'L1-C2', action: 'start' })).toMatchObject({ ok: true });
    run(w, 1);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.running);
  });

  it('resets a jam at once, but refuses to reset an overheated joint until it has cooled', () => {
    const w = world();
    expect(injectFault(w, 'L1-C2')).toBe(true);
    run(w, 1);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.fault);
    expect(applyCommand(w, { equipmentId: 'L1-C2', action: 'reset' })).toMatchObject({ ok: true });
    run(w, 0.1);
    expect(eqOf(w, 'L1-C2').state).toBe(STATE_CODE.running);

    expect(injectFault(w, 'L2-R3')).toBe(true);
    for (let i = 0; i < 6000 && eqOf(w, 'L2-R3').state !== STATE_CODE.fault; i++) stepWorld(w, SIM_DT_S);
    expect(eqOf(w, 'L2-R3').state).toBe(STATE_CODE.fault);
    expectRefused(w, { equipmentId: 'L2-R3', action: 'reset' }, 'CONFLICT');
  });

  it('stops, e-stops, resets and restarts a whole line by its id', () => {
    const w = world();
    expect(applyCommand(w, { equipmentId: 'L1', action: 'stop' })).toMatchObject({ ok: true });
    run(w, 1);
    for (const id of ['L1-R1', 'L1-R5', 'L1-C1', 'L1-C4']) expect(eqOf(w, id).state).toBe(STATE_CODE.idle);
    expect(eqOf(w, 'L2-R1').state).toBe(STATE_CODE.running);
    expect(applyCommand(w, { equipmentId: 'L1', action: 'e-stop' })).toMatchObject({ ok: true });
    run(w, 1);
    expect(eqOf(w, 'L1-R3').state).toBe(STATE_CODE.fault);
    expectRefused(w, { equipmentId: 'L1', action: 'start' }, 'CONFLICT');
    expect(applyCommand(w, { equipmentId: 'L1', action: 'reset' })).toMatchObject({ ok: true });
    expect(applyCommand(w, { equipmentId: 'L1', action: 'start' })).toMatchObject({ ok: true });
    run(w, 1);
    for (const id of ['L1-R1', 'L1-R5', 'L1-C1', 'L1-VIS'])
      expect(eqOf(w, id).state).toBe(STATE_CODE.running);
  });

  it('drives an AGV to the node it is sent to along the graph, never sharing a node zone, and holds it there', () => {
    const w = world(7);
    run(w, 60); // deliveries under way
    const target = 'A2-45';
    expect(
      applyCommand(w, { equipmentId: 'AGV-03', action: 'go-to', params: { node: target } }),
    ).toMatchObject({
      ok: true,
    });
    const agvs = w.equipment.filter((e) => e.kind === 'agv');
    const zonesOk = () => {
      for (const n of layout.paths!.nodes) {
        const inside = agvs.filter(
          (a) => Math.hypot(a.pose![0] - n.position[0], a.pose![2] - n.position[1]) < AGV_ZONE_M,
        ).length;
        if (inside > 1) expect.fail(`t=${w.simTimeS.toFixed(1)} s: ${inside} AGVs in the zone of ${n.id}`);
      }
    };
    const [x, z] = nodePos(target);
    const agv = eqOf(w, 'AGV-03');
    let arrivedAt = -1;
    const events = run(w, 180, () => {
      zonesOk();
      if (arrivedAt < 0 && Math.hypot(agv.pose![0] - x, agv.pose![2] - z) < 0.5) arrivedAt = w.simTimeS;
    });
    expect(events.map((e) => e.message)).toContain(`AGV-03 sent to node ${target} by command`);
    expect(arrivedAt).toBeGreaterThan(0);
    expect(Math.hypot(agv.pose![0] - x, agv.pose![2] - z)).toBeLessThan(0.5);
    expect(agv.state).toBe(STATE_CODE.idle);
    expect(applyCommand(w, { equipmentId: 'AGV-03', action: 'resume' })).toMatchObject({ ok: true });
  });

  it('pauses a driving AGV where it is and lets it drive on when resumed', () => {
    const w = world(7);
    applyCommand(w, { equipmentId: 'AGV-01', action: 'go-to', params: { node: 'A2-45' } });
    run(w, 8);
    const agv = eqOf(w, 'AGV-01');
    expect(applyCommand(w, { equipmentId: 'AGV-01', action: 'pause' })).toMatchObject({ ok: true });
    run(w, 3);
    const held = Array.from(agv.pose!);
    run(w, 5);
    expect(Array.from(agv.pose!)).toEqual(held);
    expect(agv.state).toBe(STATE_CODE.idle);
    expect(applyCommand(w, { equipmentId: 'AGV-01', action: 'resume' })).toMatchObject({ ok: true });
    run(w, 3);
    expect(Array.from(agv.pose!)).not.toEqual(held);
  });

  it('sends an AGV to the nearest free dock, where it charges', () => {
    const w = world(7);
    const r = applyCommand(w, { equipmentId: 'AGV-02', action: 'dock' });
    expect(r).toMatchObject({ ok: true });
    const dockId = r.message.split(' ').pop()!;
    let charging = false;
    run(w, 30); // under way: a second dock is refused
    expectRefused(w, { equipmentId: 'AGV-02', action: 'dock' }, 'CONFLICT');
    let prev = sig(w, 'AGV-02', 'battery');
    run(w, 90, () => {
      const battery = sig(w, 'AGV-02', 'battery');
      if (sig(w, dockId, 'occupied') === 1 && battery > prev) charging = true;
      prev = battery;
    });
    expect(charging).toBe(true);
  });

  it('launches a charged drone on patrol and lands it back on its pad when recalled', () => {
    const w = world();
    const drone = eqOf(w, 'DR-01');
    drone.signals[signalIndex('drone', 'battery')] = 100;
    expect(applyCommand(w, { equipmentId: 'DR-01', action: 'launch-patrol' })).toMatchObject({ ok: true });
    run(w, 20);
    expect(drone.state).toBe(STATE_CODE.running);
    expect(sig(w, 'DR-01', 'altitude')).toBeGreaterThan(1);
    expectRefused(w, { equipmentId: 'DR-01', action: 'launch-patrol' }, 'CONFLICT');
    expect(applyCommand(w, { equipmentId: 'DR-01', action: 'return-to-dock' })).toMatchObject({ ok: true });
    // It lands within two minutes; it may take off again by itself later (autonomous patrols).
    let landed = false;
    for (let i = 0; i < 1200 && !landed; i++)
      landed = stepWorld(w, SIM_DT_S).some(
        (e) => e.equipmentId === 'DR-01' && /landed at DR-PAD-01/.test(e.message),
      );
    expect(landed).toBe(true);
    const pad = layout.equipment.find((e) => e.id === 'DR-PAD-01')!.position;
    expect(Math.hypot(drone.pose![0] - pad[0], drone.pose![2] - pad[2])).toBeLessThan(0.01);
    expect(drone.pose![1]).toBeCloseTo(pad[1], 6);
    expect(drone.state).toBe(STATE_CODE.idle);
  });

  it('recalibrates a defocused camera in about 20 s and restores its focus to ~98 %', () => {
    const w = world();
    expect(injectFault(w, 'L1-VIS')).toBe(true);
    run(w, 1);
    expect(sig(w, 'L1-VIS', 'focus')).toBeLessThan(75);
    expect(applyCommand(w, { equipmentId: 'L1-VIS', action: 'recalibrate' })).toMatchObject({ ok: true });
    run(w, 1);
    expect(eqOf(w, 'L1-VIS').state).toBe(STATE_CODE.maintenance);
    expectRefused(w, { equipmentId: 'L1-VIS', action: 'recalibrate' }, 'CONFLICT');
    const events = run(w, 20);
    expect(events.some((e) => e.type === 'recovery' && e.equipmentId === 'L1-VIS')).toBe(true);
    expect(eqOf(w, 'L1-VIS').state).toBe(STATE_CODE.running);
    expect(sig(w, 'L1-VIS', 'focus')).toBeGreaterThan(97);
  });

  it('refuses unknown equipment, foreign actions and unknown nodes without changing anything', () => {
    const w = world();
    expectRefused(w, { equipmentId: 'NOPE-1', action: 'stop' }, 'NOT_FOUND');
    expectRefused(w, { equipmentId: 'DR-01', action: 'stop' }, 'INVALID');
    expectRefused(w, { equipmentId: 'TX-01', action: 'start' }, 'INVALID');
    expectRefused(w, { equipmentId: 'AGV-01', action: 'go-to', params: { node: 'NOWHERE' } }, 'INVALID');
    expectRefused(w, { equipmentId: 'L1-R1', action: 'reset' }, 'CONFLICT');
    expectRefused(w, { equipmentId: 'AGV-01', action: 'resume' }, 'CONFLICT');
  });

  it('gives the same event log for the same seed and the same commands at the same ticks', () => {
    const script: [number, SimCommand][] = [
      [100, { equipmentId: 'L1-R2', action: 'stop' }],
      [300, { equipmentId: 'AGV-03', action: 'go-to', params: { node: 'TA-25' } }],
      [400, { equipmentId: 'L1-R2', action: 'start' }],
      [500, { equipmentId: 'AGV-05', action: 'dock' }],
      [600, { equipmentId: 'L2', action: 'e-stop' }],
      [900, { equipmentId: 'L2', action: 'reset' }],
      [950, { equipmentId: 'L2', action: 'start' }],
      [1200, { equipmentId: 'AGV-03', action: 'resume' }],
    ];
    const play = () => {
      const w = createWorld(layout, 42);
      const log: unknown[] = [];
      for (let t = 0; t < 3000; t++) {
        for (const [at, cmd] of script) if (at === t) log.push(applyCommand(w, cmd));
        log.push(...stepWorld(w, SIM_DT_S));
      }
      return JSON.stringify(log);
    };
    const a = play();
    expect(a).toContain('AGV-03 sent to node TA-25 by command');
    expect(play()).toBe(a);
  });
});
