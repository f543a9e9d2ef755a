import { describe, expect, it } from 'vitest';
import { STATE_CODE } from '../../../protocol';
import { AlarmBook } from '../../../server/alarms/alarmBook';
import { compileRules } from '../../../server/alarms/compile';
import { parseRules } from '../../../server/alarms/ruleSchema';
import { createWorld } from '../../../server/sim';
import { openAlarmStore } from '../../../server/store/alarmStore';
import { defaultLayout, tempDataDir } from '../../helpers/server';

const layout = defaultLayout();
const T0 = 1_700_000_000_000;
const RULES = parseRules({
  rules: [
    {
      id: 'fault',
      kind: 'conveyor',
      type: 'state',
      states: ['fault'],
      priority: 'high',
      message: '{name} fault',
      reAlarmS: 60,
    },
  ],
});
if (!RULES.ok) throw new Error(RULES.errors.join('\n'));
const compiled = compileRules(RULES.rules, layout);
if (!compiled.ok) throw new Error(compiled.errors.join('\n'));

/** A book over a store in `dir`, a world that is never stepped, and a clock we drive. */
function rig(dir = ':memory:') {
  const store = openAlarmStore(dir);
  const book = new AlarmBook(compiled.ok ? compiled.compiled : (null as never), store, layout);
  const world = createWorld(layout, 1, { faults: false });
  const eq = (id: string) => world.equipment.find((e) => e.id === id)!;
  let simS = 0;
  let now = T0;
  const tick = (dtS = 0.1) => {
    simS += dtS;
    now += dtS * 1000;
    return book.tick(world.equipment, simS, now, true);
  };
  return { book, store, eq, tick, now: () => now };
}

describe('the alarm book', () => {
  it('raises, numbers, marks first-out and acknowledges', () => {
    const r = rig();
    r.eq('L1-C2').state = STATE_CODE.fault;
    const [t] = r.tick();
    expect(t).toMatchObject({ seq: 1, alarmId: 'fault@L1-C2', from: 'normal', to: 'unacknowledged' });
    expect(t.alarm).toMatchObject({
      state: 'unacknowledged',
      firstOut: true,
      message: 'L1 conveyor 2 fault',
    });
    r.eq('L1-C3').state = STATE_CODE.fault;
    expect(r.tick()[0].alarm.firstOut).toBe(false);
    const ack = r.book.ack(['fault@L1-C2', 'fault@L1-C2', 'nope@X'], 'ana', r.now());
    expect(ack.acknowledged).toEqual(['fault@L1-C2']);
    expect(ack.refused).toEqual([expect.objectContaining({ id: 'nope@X', code: 'NOT_FOUND' })]);
    expect(ack.transitions[0]).toMatchObject({ seq: 3, user: 'ana', to: 'acknowledged' });
    expect(r.book.ack(['fault@L1-C2'], 'ana', r.now()).refused[0].code).toBe('CONFLICT');
  });

  it('returns to unacknowledged when a shelve expires with the condition still active', () => {
    const r = rig();
    r.eq('L1-C2').state = STATE_CODE.fault;
    r.tick();
    expect(r.book.shelve('fault@L1-C2', 1, 'sensor swap', 'ana', r.now())).toMatchObject({
      ok: true,
      alarm: { state: 'shelved', shelvedBy: 'ana', reason: 'sensor swap' },
    });
    expect(r.tick(30)).toEqual([]);
    const [t] = r.tick(31);
    expect(t).toMatchObject({ from: 'shelved', to: 'unacknowledged', reason: 'shelve expired' });
    expect(t.alarm.shelvedUntil).toBeUndefined();
  });

  it('re-alarms an acknowledged alarm still active after reAlarmS', () => {
    const r = rig();
    r.eq('L1-C2').state = STATE_CODE.fault;
    r.tick();
    r.book.ack(['fault@L1-C2'], 'ana', r.now());
    expect(r.tick(59)).toEqual([]);
    expect(r.tick(2)[0]).toMatchObject({ from: 'acknowledged', to: 'unacknowledged', reason: 're-alarm' });
  });

  it('takes an alarm out of service and back, refusing what does not apply', () => {
    const r = rig();
    expect(r.book.outOfService('nope@X', true, 'x', 'ana', r.now())).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(r.book.unshelve('fault@L1-C1', 'ana', r.now())).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(r.book.outOfService('fault@L1-C1', true, 'bad sensor', 'ana', r.now())).toMatchObject({
      ok: true,
      alarm: { state: 'out-of-service', reason: 'bad sensor' },
    });
    r.eq('L1-C1').state = STATE_CODE.fault;
    expect(r.tick()).toEqual([]);
    expect(r.book.outOfService('fault@L1-C1', false, '', 'ana', r.now())).toMatchObject({
      ok: true,
      alarm: { state: 'unacknowledged' },
    });
  });

  it('comes back after a restart with the same states and sequence, and re-evaluates conditions', () => {
    const dir = tempDataDir();
    const a = rig(dir);
    a.eq('L1-C2').state = STATE_CODE.fault;
    a.eq('L1-C3').state = STATE_CODE.fault;
    a.tick();
    a.book.ack(['fault@L1-C2'], 'ana', a.now());
    a.book.shelve('fault@L1-C3', 60, 'known', 'ana', a.now());
    const before = a.book.current();
    a.store.close();
    const b = rig(dir);
    expect(b.book.seq).toBe(a.book.seq);
    expect(b.book.current()).toEqual(before);
    // The faults are gone in the new world: the acknowledged alarm clears through its lifecycle.
    const [t] = b.tick();
    expect(t).toMatchObject({
      seq: a.book.seq + 1,
      alarmId: 'fault@L1-C2',
      from: 'acknowledged',
      to: 'normal',
    });
    expect(b.book.get('fault@L1-C3')?.state).toBe('shelved');
  });

  it('catches a client up by sequence number, or tells it to take a snapshot', () => {
    const r = rig();
    r.eq('L1-C2').state = STATE_CODE.fault;
    r.tick();
    r.book.ack(['fault@L1-C2'], 'ana', r.now());
    expect(r.book.since(0)).toMatchObject({ ok: true, transitions: [{ seq: 1 }, { seq: 2 }] });
    expect(r.book.since(2)).toEqual({ ok: true, transitions: [] });
    expect(r.book.since(5)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});
