import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Layout, parseLayout, STATE_CODE } from '../../../protocol';
import { createWorld, injectFault, type PlantEventDraft, SIM_DT_S, stepWorld } from '../../../server/sim';

function defaultLayout(): Layout {
  const r = parseLayout(
    JSON.parse(readFileSync(new URL('../../../assets/plants/default.json', import.meta.url), 'utf8')),
  );
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

function stateOf(w: ReturnType<typeof createWorld>, id: string): number {
  return w.equipment.find((e) => e.id === id)!.state;
}

describe('faults and recoveries', () => {
  it('stops the line at a jammed conveyor, blocks upstream, starves downstream, then recovers', () => {
    const w = createWorld(defaultLayout(), 4, { faults: false });
    for (let i = 0; i < 50; i++) stepWorld(w, SIM_DT_S);
    expect(injectFault(w, 'L1-C2')).toBe(true);
    const events: PlantEventDraft[] = [...stepWorld(w, SIM_DT_S)];
    expect(events.some((e) => e.type === 'fault' && e.equipmentId === 'L1-C2')).toBe(true);
    expect(stateOf(w, 'L1-C2')).toBe(STATE_CODE.fault);
    expect(stateOf(w, 'L1-C1')).toBe(STATE_CODE.blocked);
    expect(stateOf(w, 'L1-VIS')).toBe(STATE_CODE.starved);
    expect(stateOf(w, 'L2-C2')).toBe(STATE_CODE.running);
    for (let i = 0; i < 3 * 600; i++) events.push(...stepWorld(w, SIM_DT_S));
    expect(events.some((e) => e.type === 'recovery' && e.equipmentId === 'L1-C2')).toBe(true);
    expect(stateOf(w, 'L1-C2')).toBe(STATE_CODE.running);
  });

  it('trips an overheating robot joint and restarts it once cooled', () => {
    const w = createWorld(defaultLayout(), 4, { faults: false });
    for (let i = 0; i < 50; i++) stepWorld(w, SIM_DT_S);
    expect(injectFault(w, 'L2-R3')).toBe(true);
    const events: PlantEventDraft[] = [];
    for (let i = 0; i < 15 * 600; i++) events.push(...stepWorld(w, SIM_DT_S));
    const mine = events.filter((e) => e.equipmentId === 'L2-R3').map((e) => e.type);
    expect(mine).toEqual(['fault', 'recovery']);
  });

  it('shows a transformer whose monitoring link drops as offline with its last values held, then back online', () => {
    const w = createWorld(defaultLayout(), 4, { faults: false });
    for (let i = 0; i < 50; i++) stepWorld(w, SIM_DT_S);
    const tx = w.equipment.find((e) => e.id === 'TX-01')!;
    expect(injectFault(w, 'TX-01')).toBe(true);
    const events: PlantEventDraft[] = [...stepWorld(w, SIM_DT_S)];
    expect(tx.state).toBe(STATE_CODE.offline);
    const held = Array.from(tx.signals);
    for (let i = 0; i < 100; i++) events.push(...stepWorld(w, SIM_DT_S));
    expect(Array.from(tx.signals)).toEqual(held);
    for (let i = 0; i < 3 * 600; i++) events.push(...stepWorld(w, SIM_DT_S));
    const mine = events.filter((e) => e.equipmentId === 'TX-01').map((e) => e.type);
    expect(mine).toEqual(['state', 'recovery']);
    expect(tx.state).toBe(STATE_CODE.running);
  });

  it('draws a few faults per hour in the default plant, each followed by a recovery', () => {
    const w = createWorld(defaultLayout(), 8);
    const events: PlantEventDraft[] = [];
    for (let i = 0; i < 60 * 600; i++) events.push(...stepWorld(w, SIM_DT_S));
    const faults = events.filter((e) => e.type === 'fault');
    expect(faults.length).toBeGreaterThanOrEqual(4);
    expect(faults.length).toBeLessThanOrEqual(40);
    expect(events.filter((e) => e.type === 'recovery').length).toBeGreaterThanOrEqual(faults.length - 2);
    // Human rate: a few events per minute, not per tick.
    expect(events.length / 60).toBeLessThan(8);
  });
});
