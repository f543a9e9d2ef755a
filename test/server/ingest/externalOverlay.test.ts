import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { STATE_CODE, signalIndex, sourcesFileSchema } from '../../../protocol';
import { equipmentDetail, Ingest } from '../../../server/ingest/ingest';
import { STATE_SIG } from '../../../server/ingest/ingestSink';
import { PlantSession } from '../../../server/session/plantSession';
import { defaultLayout } from '../../helpers/server';

const T0 = 1_800_000_000_000; // a fixed wall clock, ms since epoch

/** Equipment with simulated events in the first 2 minutes of seed 5 (checked below). */
const FED_WITH_EVENTS = ['DR-01', 'L3-R2'];

/** A session whose L1-C1, DR-01 and L3-R2 are fed by a (never connected) source; the sink is fed by hand. */
function build(unmapped: 'offline' | 'simulate') {
  const session = new PlantSession(defaultLayout(), { seed: 5, speed: 1, alarms: null, startMs: T0 });
  const file = sourcesFileSchema.parse({
    sources: [
      {
        id: 'uns',
        kind: 'mqtt-json',
        broker: 'mqtt://127.0.0.1:1',
        topics: [
          { topic: 'a', equipment: 'L1-C1', fields: { beltSpeed: '$.v', state: '$.s' } },
          { topic: 'b', equipment: 'DR-01', fields: { battery: '$.b' } },
          { topic: 'c', equipment: 'L3-R2', fields: { j2Temp: '$.t', state: '$.s' } },
        ],
      },
    ],
    unmapped,
  });
  const r = Ingest.create(session.world, file, { logger: pino({ level: 'silent' }), now: () => T0 });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  session.overlay = r.ingest;
  const idx = (id: string) => session.world.equipment.findIndex((e) => e.id === id);
  return { session, ingest: r.ingest, idx };
}

describe('equipment fed by a source', () => {
  it('keeps received values and state through simulation steps, and none of its simulated events reach users', () => {
    // The same plant without a source: the simulation does report events about DR-01 and L3-R2.
    const plain = new PlantSession(defaultLayout(), { seed: 5, speed: 1, alarms: null, startMs: T0 });
    const plainIds = new Set<string>();
    for (let i = 0; i < 1200; i++)
      for (const e of plain.advance(0.1, T0).events) plainIds.add(e.equipmentId ?? '');
    for (const id of FED_WITH_EVENTS) expect(plainIds).toContain(id);

    const { session, ingest, idx } = build('simulate');
    const c1 = idx('L1-C1');
    const drone = idx('DR-01');
    const arm = idx('L3-R2');
    const speed = signalIndex('conveyor', 'beltSpeed');
    const battery = signalIndex('drone', 'battery');
    const j2 = signalIndex('robot-arm', 'j2Temp');
    ingest.sink.push(0, c1, speed, 0.123, T0, T0);
    ingest.sink.push(0, c1, STATE_SIG, STATE_CODE.blocked, T0, T0);
    ingest.sink.push(0, drone, battery, 64, T0, T0);
    ingest.sink.push(0, arm, j2, 44.5, T0, T0);
    ingest.sink.push(0, arm, STATE_SIG, STATE_CODE.idle, T0, T0);
    const dronePose = Array.from(session.world.equipment[drone].pose ?? []);
    const ownedEvents: string[] = [];
    let otherEvents = 0;
    // 2 simulated minutes (wall time held still, so nothing goes stale): the simulation runs all along.
    for (let i = 0; i < 1200; i++) {
      const out = session.advance(0.1, T0);
      for (const e of out.events)
        if (e.equipmentId === 'L1-C1' || FED_WITH_EVENTS.includes(e.equipmentId ?? ''))
          ownedEvents.push(e.message);
        else otherEvents++;
      const w = session.world.equipment;
      expect(w[c1].signals[speed]).toBe(0.123);
      expect(w[c1].state).toBe(STATE_CODE.blocked);
      expect(w[drone].signals[battery]).toBe(64);
      expect(w[drone].state).toBe(STATE_CODE.running);
      expect(Array.from(w[drone].pose ?? [])).toEqual(dronePose);
      expect(w[arm].signals[j2]).toBe(44.5);
      expect(w[arm].state).toBe(STATE_CODE.idle);
    }
    expect(ownedEvents).toEqual([]);
    // The simulated rest of the plant is alive (unmapped: simulate) and still reports events.
    expect(otherEvents).toBeGreaterThan(0);
    const d = equipmentDetail(session.world, idx('L1-R1'), session.nowMs, ingest);
    expect(d).toMatchObject({ source: 'simulation', quality: 'good', sourceTimestamp: T0 });
    expect(d.simTimeS).toBeCloseTo(120, 5);
  });

  it('shows unmapped equipment offline with frozen values when unmapped is offline', () => {
    const { session, idx } = build('offline');
    const r1 = idx('L1-R1');
    const before = Array.from(session.world.equipment[r1].signals);
    for (let i = 0; i < 100; i++) session.advance(0.1, T0);
    expect(session.world.equipment[r1].state).toBe(STATE_CODE.offline);
    expect(Array.from(session.world.equipment[r1].signals)).toEqual(before);
  });

  it('marks a value stale after staleAfterS of receive time and shows the machine offline', () => {
    const { session, ingest, idx } = build('offline');
    const c1 = idx('L1-C1');
    ingest.sink.push(0, c1, 0, 0.5, T0, T0);
    ingest.sink.push(0, c1, STATE_SIG, STATE_CODE.running, T0, T0);
    session.advance(0.1, T0 + 100);
    expect(equipmentDetail(session.world, c1, session.nowMs, ingest).values.beltSpeed.quality).toBe('good');
    session.advance(0.1, T0 + 10_100); // default staleAfterS 10 s
    const d = equipmentDetail(session.world, c1, session.nowMs, ingest);
    expect(d.values.beltSpeed).toEqual({ value: 0.5, quality: 'stale', sourceTimestamp: T0 });
    expect(d.quality).toBe('stale');
    expect(d.state).toBe('offline');
    expect(ingest.health()[0].stale).toEqual(['L1-C1', 'L3-R2', 'DR-01']);
  });
});
