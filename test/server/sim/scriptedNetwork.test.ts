import { describe, expect, it } from 'vitest';
import type { ScenarioAction } from '../../../protocol/scenario';
import {
  AGV_ZONE_M,
  applyCommand,
  applyScenarioAction,
  simulatedFaults,
  type World,
} from '../../../server/sim';
import type { SimWorld } from '../../../server/sim/state';
import { eq, quietWorld, run, runUntil, sig, stateOf } from './scenarioWorld';

function act(w: World, action: ScenarioAction): void {
  const r = applyScenarioAction(w, action);
  if (!r.ok) throw new Error(r.message);
}

/** Ids of the 5G devices (AGVs, drones, cameras) a cell serves now. */
function servedBy(w: World, cellId: string): string[] {
  const net = (w as SimWorld).cells;
  const out: string[] = [];
  for (let i = 0; i < net.devEq.length; i++)
    if (w.equipment[net.cellEq[net.devCell[i]]].id === cellId) out.push(w.equipment[net.devEq[i]].id);
  return out;
}

/** Mean of `key` over `ids`, averaged over `seconds` of simulation. */
function meanOver(w: World, ids: string[], key: string, seconds: number): number {
  let sum = 0;
  let n = 0;
  run(w, seconds, () => {
    for (const id of ids) sum += sig(w, id, key);
    n += ids.length;
    return false;
  });
  return sum / n;
}

describe('scripted 5G and mobile faults', () => {
  it('takes a 5G cell off the air: its devices reattach to neighbours with weaker signal and higher latency', () => {
    const w = quietWorld(3, 60);
    const control = quietWorld(3, 60);
    const agvs = servedBy(w, '5G-C5').filter((id) => id.startsWith('AGV'));
    expect(agvs.length).toBeGreaterThanOrEqual(3);
    act(w, { type: 'fault', fault: { kind: 'cell-outage', equipment: '5G-C5' } });
    run(w, 2);
    run(control, 2);
    expect(servedBy(w, '5G-C5')).toEqual([]);
    expect(stateOf(w, '5G-C5')).toBe('fault');
    expect([sig(w, '5G-C5', 'attached'), sig(w, '5G-C5', 'ulMbps')]).toEqual([0, 0]);
    // The AGVs drive the same routes in both worlds (the outage draws nothing from the RNG): compare them.
    const rsrp = meanOver(w, agvs, 'rsrp', 60) - meanOver(control, agvs, 'rsrp', 60);
    const latency = meanOver(w, agvs, 'latency', 60) - meanOver(control, agvs, 'latency', 60);
    expect(rsrp).toBeLessThan(-1);
    expect(latency).toBeGreaterThan(0.2);
    expect(eq(w, 'AGV-01').pose).toEqual(eq(control, 'AGV-01').pose);

    act(w, { type: 'clear', equipment: '5G-C5' });
    run(w, 2);
    expect(stateOf(w, '5G-C5')).toBe('running');
    expect(sig(w, '5G-C5', 'attached')).toBeGreaterThan(0);
  });

  it('congests a cell’s uplink: its cameras get a share of their stream and their lines slow, cameras elsewhere do not', () => {
    const w = quietWorld(3, 60);
    const before = sig(w, 'L1-VIS', 'uplink');
    act(w, { type: 'fault', fault: { kind: 'uplink-congestion', equipment: '5G-C1', capacityPct: 30 } });
    const inspected = sig(w, 'L1-VIS', 'inspected');
    const inspected3 = sig(w, 'L3-VIS', 'inspected');
    run(w, 120);
    expect(sig(w, 'L1-VIS', 'uplink')).toBeLessThan(0.7 * before);
    expect(sig(w, '5G-C1', 'ulLoad')).toBeGreaterThan(95);
    expect(sig(w, '5G-C1', 'latency')).toBeGreaterThan(20);
    expect(sig(w, 'L1-C1', 'beltSpeed')).toBeLessThan(0.25);
    // L3's camera is on 5G-C4: full stream, full speed (0.25 m/s, 0.5 m pitch = 30 units/min).
    expect(sig(w, 'L3-VIS', 'uplink')).toBeGreaterThan(60);
    expect(sig(w, 'L3-C1', 'beltSpeed')).toBeCloseTo(0.25, 6);
    expect(sig(w, 'L1-VIS', 'inspected') - inspected).toBeLessThan(
      0.75 * (sig(w, 'L3-VIS', 'inspected') - inspected3),
    );

    // Shedding line 2's stream leaves line 1's camera most of the uplink.
    const squeezed = sig(w, 'L1-VIS', 'uplink');
    expect(applyCommand(w, { equipmentId: 'L2', action: 'stop' }).ok).toBe(true);
    run(w, 30);
    expect(sig(w, 'L1-VIS', 'uplink')).toBeGreaterThan(squeezed + 15);

    act(w, { type: 'clear', equipment: '5G-C1' });
    run(w, 30);
    expect(sig(w, 'L1-C1', 'beltSpeed')).toBeCloseTo(0.3, 6);
    expect(sig(w, '5G-C1', 'latency')).toBeLessThan(10);
  });

  it('breaks an AGV down on its path: it holds the node zones around it, others keep clear, and it drives on after a clear', () => {
    const w = quietWorld(21, 0);
    act(w, { type: 'fault', fault: { kind: 'agv-breakdown', equipment: 'AGV-07', atNode: 'HA-25' } });
    expect(simulatedFaults(w)[0].phase).toBe('armed');
    const brokeS = runUntil(w, 600, () => stateOf(w, 'AGV-07') === 'fault');
    expect(brokeS).not.toBeNaN();
    const sw = w as SimWorld;
    const agv = sw.fleet.agvs.find((a) => sw.equipment[a.eq].id === 'AGV-07')!;
    const held = sw.graph.ids.filter((_, i) => sw.fleet.holder[i] === agv.slot);
    expect(held).toContain('HA-25');
    run(w, 3); // safety braking
    const where = [eq(w, 'AGV-07').pose![0], eq(w, 'AGV-07').pose![2]];
    const others = w.equipment.filter((e) => e.kind === 'agv' && e.id !== 'AGV-07');
    const heldAt = held.map((id) => sw.graph.index.get(id)!);
    let deliveries = 0;
    for (const e of run(w, 400, () => {
      for (const o of others)
        for (const n of heldAt)
          if (Math.hypot(o.pose![0] - sw.graph.x[n], o.pose![2] - sw.graph.z[n]) < AGV_ZONE_M)
            expect.fail(`${o.id} entered the zone of ${sw.graph.ids[n]} held by the broken AGV`);
      return false;
    }))
      if (e.type === 'delivery') deliveries++;
    expect([eq(w, 'AGV-07').pose![0], eq(w, 'AGV-07').pose![2]]).toEqual(where);
    expect(deliveries).toBeGreaterThan(0);
    // It was taking a pallet to line 2, whose only access is HA-25: the line starves meanwhile.
    expect(stateOf(w, 'L2-FDR')).toBe('starved');

    act(w, { type: 'clear', equipment: 'AGV-07' });
    const after = run(w, 120);
    expect(
      after.some((e) => e.type === 'delivery' && e.equipmentId === 'AGV-07' && /L2-FDR/.test(e.message)),
    ).toBe(true);
  });

  it('drains a drone battery fast in flight, so the drone turns back before finishing its patrol', () => {
    const w = quietWorld(3, 0);
    const control = quietWorld(3, 0);
    // The substation patrol takes ~95 s on ~70 % of charge; 60 %/min more empties it halfway.
    act(w, { type: 'fault', fault: { kind: 'drone-battery', equipment: 'DR-02', drainPctPerMin: 60 } });
    const lowBattery = (e: { equipmentId?: string; message: string }) =>
      e.equipmentId === 'DR-02' && /battery low .*returning/.test(e.message);
    const events = run(w, 200);
    const normal = run(control, 200);
    expect(events.filter(lowBattery)).toHaveLength(1);
    expect(normal.filter(lowBattery)).toHaveLength(0);
    expect(normal.some((e) => e.equipmentId === 'DR-02' && /patrol complete/.test(e.message))).toBe(true);
    expect(sig(w, 'DR-02', 'battery')).toBeLessThan(sig(control, 'DR-02', 'battery') - 20);
  });
});
