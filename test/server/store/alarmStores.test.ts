import { describe, expect, it } from 'vitest';
import type { Alarm, AlarmState, AlarmTransition } from '../../../protocol';
import type { AlarmRecord } from '../../../server/alarms/types';
import { FencedOut } from '../../../server/cluster/fence';
import type { AsyncAlarmStore } from '../../../server/store/api/alarmApi';
import { openPgAlarmStore } from '../../../server/store/pg/pgAlarmStore';
import { openSqliteAlarmStore } from '../../../server/store/sqlite/sqliteAlarmStore';
import { hasPostgres } from '../../helpers/postgres';
import { describeEngines, storeEnv } from '../../helpers/storeEngines';

const T0 = 1_800_000_000_000;
const env = storeEnv();

/** A fresh store, and `reopen`: the same data through another connection. */
type Opener = () => Promise<{ store: AsyncAlarmStore; reopen: () => Promise<AsyncAlarmStore> }>;

const track = (s: AsyncAlarmStore) => {
  env.onCleanup(() => s.close());
  return s;
};
/** `nul`: how a U+0000 someone typed reads back (PostgreSQL text and JSONB cannot hold it). */
const engines: { name: 'SQLite' | 'PostgreSQL'; open: Opener; nul: string }[] = [
  {
    name: 'SQLite',
    nul: '\u0000',
    open: async () => {
      const dir = env.sqliteDir();
      const reopen = async () => track(openSqliteAlarmStore(dir));
      return { store: await reopen(), reopen };
    },
  },
  {
    name: 'PostgreSQL',
    nul: '\uFFFD',
    open: async () => {
      const pool = await env.pgPool();
      const reopen = async () => track(await openPgAlarmStore(pool));
      return { store: await reopen(), reopen };
    },
  },
];

function alarm(id: string, state: AlarmState, seq: number, over: Partial<Alarm> = {}): Alarm {
  const [ruleId, equipmentId] = id.split('@');
  return {
    id,
    ruleId,
    equipmentId,
    priority: 'high',
    state,
    active: state === 'unacknowledged' || state === 'acknowledged',
    message: `${equipmentId} fault`,
    value: 81.25,
    limit: 80,
    unit: '°C',
    raisedAt: T0,
    raisedSimS: 12.5,
    seq,
    ...over,
  };
}

/** A transition of alarm `id` at T0 + `dt` ms. */
function tr(
  seq: number,
  id: string,
  from: AlarmState,
  to: AlarmState,
  dt: number,
  over: Partial<AlarmTransition> = {},
): AlarmTransition {
  return {
    seq,
    at: T0 + dt,
    alarmId: id,
    equipmentId: id.split('@')[1],
    from,
    to,
    alarm: alarm(id, to, seq),
    ...over,
  };
}

/** The record an alarm book keeps (its life is opaque to the store: stored as given). */
const rec = (t: AlarmTransition, ackedSimS: number | null = null): AlarmRecord => ({
  alarm: t.alarm,
  life: { core: t.to, active: t.alarm.active, suppressed: false, oos: false, shelvedUntil: null } as never,
  ackedSimS,
});

const byId = (rs: AlarmRecord[]) => [...rs].sort((a, b) => a.alarm.id.localeCompare(b.alarm.id));

describeEngines('the alarm store on $name', engines, ({ open, nul }) => {
  it('starts empty: sequence 0, no records, no journal', async () => {
    const { store } = await open();
    expect(await store.lastSeq()).toBe(0);
    expect(await store.loadRecords()).toEqual([]);
    expect(await store.since(0, 100)).toEqual([]);
    expect(await store.history({ limit: 100 })).toEqual([]);
    expect(await store.raises(0)).toEqual([]);
  });

  it('journals transitions and keeps the newest record of each alarm, for another connection too', async () => {
    const { store, reopen } = await open();
    const t1 = tr(1, 'hot@M1', 'normal', 'unacknowledged', 0);
    const t2 = tr(2, 'jam@C2', 'normal', 'unacknowledged', 10, {
      alarm: alarm('jam@C2', 'unacknowledged', 2, { firstOut: true }),
    });
    await store.commit([t1, t2], [rec(t1), rec(t2)]);
    const t3 = tr(3, 'hot@M1', 'unacknowledged', 'acknowledged', 20, { user: 'ana' });
    await store.commit([t3], [rec(t3, 30.5)]);
    const other = await reopen();
    expect(await other.lastSeq()).toBe(3);
    expect(byId(await other.loadRecords())).toEqual([rec(t3, 30.5), rec(t2)]);
    expect(await other.since(0, 100)).toEqual([t1, t2, t3]);
    expect(await other.since(1, 1)).toEqual([t2]);
    expect(await other.since(3, 100)).toEqual([]);
    // Optional fields come back only when they were there.
    const [back] = await other.since(2, 1);
    expect(back).toEqual({ ...t3 });
    expect('reason' in back).toBe(false);
    expect('user' in (await other.since(0, 1))[0]).toBe(false);
  });

  it('answers history newest first, filtered by time and equipment, up to the limit', async () => {
    const { store } = await open();
    const ts = [
      tr(1, 'hot@M1', 'normal', 'unacknowledged', 0),
      tr(2, 'jam@C2', 'normal', 'unacknowledged', 10),
      tr(3, 'hot@M1', 'unacknowledged', 'acknowledged', 20, { user: 'ana' }),
      tr(4, 'hot@M1', 'acknowledged', 'shelved', 30, { user: 'ana', reason: 'sensor swap' }),
      tr(5, 'jam@C2', 'unacknowledged', 'rtn-unacknowledged', 40),
    ];
    await store.commit(ts, []);
    const seqs = async (q: object) => (await store.history({ limit: 100, ...q })).map((t) => t.seq);
    expect(await seqs({})).toEqual([5, 4, 3, 2, 1]);
    expect(await seqs({ equipment: 'M1' })).toEqual([4, 3, 1]);
    expect(await seqs({ from: T0 + 10, to: T0 + 30 })).toEqual([4, 3, 2]);
    expect(await seqs({ equipment: 'C2', from: T0 + 5 })).toEqual([5, 2]);
    expect(await seqs({ limit: 2 })).toEqual([5, 4]);
    expect(await seqs({ equipment: '%' })).toEqual([]);
    expect((await store.history({ limit: 1, equipment: 'M1' }))[0]).toEqual(ts[3]);
  });

  it('counts raises from normal or return-to-normal into unacknowledged, oldest first', async () => {
    const { store } = await open();
    await store.commit(
      [
        tr(1, 'hot@M1', 'normal', 'unacknowledged', 0),
        tr(2, 'hot@M1', 'unacknowledged', 'rtn-unacknowledged', 10),
        tr(3, 'hot@M1', 'rtn-unacknowledged', 'unacknowledged', 20),
        tr(4, 'jam@C2', 'shelved', 'unacknowledged', 30),
        tr(5, 'jam@C2', 'normal', 'unacknowledged', 40),
      ],
      [],
    );
    expect(await store.raises(T0)).toEqual([
      { alarmId: 'hot@M1', at: T0 },
      { alarmId: 'hot@M1', at: T0 + 20 },
      { alarmId: 'jam@C2', at: T0 + 40 },
    ]);
    expect(await store.raises(T0 + 21)).toEqual([{ alarmId: 'jam@C2', at: T0 + 40 }]);
  });

  it('commits a batch all or nothing: a repeated sequence number writes none of it', async () => {
    const { store } = await open();
    const t1 = tr(1, 'hot@M1', 'normal', 'unacknowledged', 0);
    await store.commit([t1], [rec(t1)]);
    const t2 = tr(2, 'jam@C2', 'normal', 'unacknowledged', 10);
    const again = tr(1, 'hot@M1', 'unacknowledged', 'acknowledged', 20);
    await expect(store.commit([t2, again], [rec(t2), rec(again)])).rejects.toThrow();
    expect(await store.lastSeq()).toBe(1);
    expect(await store.since(0, 100)).toEqual([t1]);
    expect(await store.loadRecords()).toEqual([rec(t1)]);
    // And the store goes on.
    await store.commit([t2], [rec(t2)]);
    expect(await store.lastSeq()).toBe(2);
  });

  it('keeps a reason someone typed with a NUL in it rather than failing the commit', async () => {
    const { store } = await open();
    const t = tr(1, 'hot@M1', 'normal', 'shelved', 0, { user: 'ana', reason: 'a\u0000b' });
    t.alarm.reason = 'a\u0000b';
    await store.commit([t], [rec(t)]);
    const [back] = await store.since(0, 1);
    expect(back.reason).toBe(`a${nul}b`);
    expect(back.alarm.reason).toBe(`a${nul}b`);
    expect((await store.loadRecords())[0].alarm.reason).toBe(`a${nul}b`);
    expect((await store.history({ limit: 5, equipment: 'M1\u0000' })).length).toBe(0);
  });
});

describe.skipIf(!hasPostgres)('the PostgreSQL alarm store under a lease', () => {
  it('commits only while its fencing token is the newest that has written the plant', async () => {
    const pool = await env.pgPool();
    const token = { old: 1, next: 2 };
    const old = await openPgAlarmStore(pool, { fence: { plant: 'p1', token: () => token.old, node: 'a' } });
    const next = await openPgAlarmStore(pool, { fence: { plant: 'p1', token: () => token.next, node: 'b' } });
    const t1 = tr(1, 'hot@M1', 'normal', 'unacknowledged', 0);
    await old.commit([t1], [rec(t1)]);
    const t2 = tr(2, 'hot@M1', 'unacknowledged', 'acknowledged', 10, { user: 'ana' });
    await next.commit([t2], [rec(t2)]);
    // The old owner, resumed from a pause, still believes it holds the plant.
    const t3 = tr(3, 'hot@M1', 'acknowledged', 'normal', 20);
    await expect(old.commit([t3], [rec(t3)])).rejects.toBeInstanceOf(FencedOut);
    expect(await next.lastSeq()).toBe(2);
    expect(await next.loadRecords()).toEqual([rec(t2)]);
    // Another plant is not fenced by p1's owner.
    const other = await openPgAlarmStore(pool, { fence: { plant: 'p2', token: () => 1 } });
    await other.commit([t3], [rec(t3)]);
    expect(await other.lastSeq()).toBe(3);
  });
});
