import type { Pool, PoolClient } from 'pg';
import type { AlarmTransition } from '../../../protocol';
import type { AlarmRecord } from '../../alarms/types';
import { fencedTransaction } from '../../cluster/fence';
import type { AsyncAlarmStore } from '../api/alarmApi';
import { pgJson, requireCurrentSchema, sql, transaction } from './pgQuery';

/** The lease this node writes a plant's alarms under (see server/cluster/fence.ts). */
export interface AlarmFence {
  plant: string;
  /** The node's current fencing token (read at each commit: it changes when the lease is won again). */
  token: () => number;
  /** Stamps plant_owner.node. */
  node?: string;
}

interface JournalRow {
  seq: number;
  at: number;
  alarm_id: string;
  equipment_id: string;
  from_state: AlarmTransition['from'];
  to_state: AlarmTransition['to'];
  user: string | null;
  reason: string | null;
  /** JSONB: node-postgres parses it. */
  alarm: AlarmTransition['alarm'];
}

function toTransition(r: JournalRow): AlarmTransition {
  const t: AlarmTransition = {
    seq: r.seq,
    at: r.at,
    alarmId: r.alarm_id,
    equipmentId: r.equipment_id,
    from: r.from_state,
    to: r.to_state,
    alarm: r.alarm,
  };
  if (r.user !== null) t.user = r.user;
  if (r.reason !== null) t.reason = r.reason;
  return t;
}

/** Journal columns in SQLite's `SELECT *` order, with `user` quoted. */
const COLUMNS = 'seq, at, alarm_id, equipment_id, from_state, to_state, "user", reason, alarm';

async function writeCommit(
  c: PoolClient,
  transitions: readonly AlarmTransition[],
  records: readonly AlarmRecord[],
): Promise<void> {
  let last = 0;
  for (const t of transitions) {
    await sql(c, `INSERT INTO alarm_journal (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      t.seq,
      t.at,
      t.alarmId,
      t.equipmentId,
      t.from,
      t.to,
      t.user ?? null,
      t.reason ?? null,
      pgJson(t.alarm),
    ]);
    last = Math.max(last, t.seq);
  }
  for (const r of records)
    await sql(
      c,
      'INSERT INTO alarm_current (alarm_id, record) VALUES ($1, $2) ON CONFLICT (alarm_id) DO UPDATE SET record = excluded.record',
      [r.alarm.id, pgJson(r)],
    );
  if (last > 0)
    await sql(
      c,
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ['alarmSeq', String(last)],
    );
}

/**
 * The alarm store on a migrated PostgreSQL database, same meaning as the SQLite one: each commit
 * is one transaction. With a `fence`, a commit also runs only while this node's fencing token is
 * the newest that has written the plant: a node that lost the lease gets FencedOut and writes
 * nothing. PostgreSQL text and JSONB refuse U+0000: a NUL someone typed (a shelve reason) is kept
 * as U+FFFD rather than failing the commit. The pool stays the caller's: close() leaves it.
 * Rejects a database whose schema is not current (see requireCurrentSchema).
 */
export async function openPgAlarmStore(
  pool: Pool,
  opts: { fence?: AlarmFence } = {},
): Promise<AsyncAlarmStore> {
  await requireCurrentSchema(pool);
  const fence = opts.fence;
  return {
    async lastSeq() {
      const meta = await sql<{ value: string }>(pool, 'SELECT value FROM meta WHERE key = $1', ['alarmSeq']);
      const max = await sql<{ m: number | null }>(pool, 'SELECT MAX(seq) AS m FROM alarm_journal');
      const m = Number(meta.rows[0]?.value ?? 0);
      return Math.max(Number.isFinite(m) ? m : 0, max.rows[0]?.m ?? 0);
    },
    async loadRecords() {
      return (await sql<{ record: AlarmRecord }>(pool, 'SELECT record FROM alarm_current')).rows.map(
        (r) => r.record,
      );
    },
    async commit(transitions, records) {
      const work = (c: PoolClient) => writeCommit(c, transitions, records);
      if (fence) await fencedTransaction(pool, fence.plant, fence.token(), work, { node: fence.node });
      else await transaction(pool, work);
    },
    async since(seq, max) {
      const r = await sql<JournalRow>(
        pool,
        `SELECT ${COLUMNS} FROM alarm_journal WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [seq, max],
      );
      return r.rows.map(toTransition);
    },
    async history(q) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const arg = (v: string | number) => {
        args.push(v);
        return `$${args.length}`;
      };
      if (q.from !== undefined) where.push(`at >= ${arg(q.from)}`);
      if (q.to !== undefined) where.push(`at <= ${arg(q.to)}`);
      if (q.equipment !== undefined) where.push(`equipment_id = ${arg(q.equipment)}`);
      const text = `SELECT ${COLUMNS} FROM alarm_journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${arg(q.limit)}`;
      return (await sql<JournalRow>(pool, text, args)).rows.map(toTransition);
    },
    async raises(fromMs) {
      const r = await sql<{ alarmId: string; at: number }>(
        pool,
        `SELECT alarm_id AS "alarmId", at FROM alarm_journal
         WHERE at >= $1 AND to_state = 'unacknowledged' AND from_state IN ('normal', 'rtn-unacknowledged')
         ORDER BY seq`,
        [fromMs],
      );
      return r.rows;
    },
    close: async () => {},
  };
}
