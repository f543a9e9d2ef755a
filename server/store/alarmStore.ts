import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AlarmTransition, HistoryQuery } from '../../protocol';
import type { AlarmRecord } from '../alarms/types';

/** Database file inside the data directory. */
export const DB_FILE = 'plant-twin.db';

export type { HistoryQuery } from '../../protocol';

/** One raise of an alarm (for the health figures). */
export interface RaiseRow {
  alarmId: string;
  at: number;
}

/**
 * The durable side of alarms: the journal of every transition, the current record of each alarm
 * and the last sequence number. Every write is one transaction, committed (and, with
 * synchronous=FULL, fsynced) before the caller answers anyone or broadcasts.
 */
export interface AlarmStore {
  /** Sequence number of the newest journaled transition (0 for a new database). */
  lastSeq(): number;
  /** Every stored alarm record, as last committed. */
  loadRecords(): AlarmRecord[];
  /** Journals transitions and stores the records they produced, atomically. */
  commit(transitions: readonly AlarmTransition[], records: readonly AlarmRecord[]): void;
  /** Transitions with seq > `seq`, oldest first, at most `max`. */
  since(seq: number, max: number): AlarmTransition[];
  /** Journal entries matching the query, newest first. */
  history(q: HistoryQuery): AlarmTransition[];
  /** Raises (transitions into unacknowledged from normal or return-to-normal) since `fromMs`, oldest first. */
  raises(fromMs: number): RaiseRow[];
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alarm_journal (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  alarm_id TEXT NOT NULL,
  equipment_id TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  user TEXT,
  reason TEXT,
  alarm TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alarm_journal_at ON alarm_journal (at);
CREATE INDEX IF NOT EXISTS alarm_journal_equipment ON alarm_journal (equipment_id, at);
CREATE TABLE IF NOT EXISTS alarm_current (alarm_id TEXT PRIMARY KEY, record TEXT NOT NULL);
`;

interface JournalRow {
  seq: number;
  at: number;
  alarm_id: string;
  equipment_id: string;
  from_state: AlarmTransition['from'];
  to_state: AlarmTransition['to'];
  user: string | null;
  reason: string | null;
  alarm: string;
}

function toTransition(r: JournalRow): AlarmTransition {
  const t: AlarmTransition = {
    seq: r.seq,
    at: r.at,
    alarmId: r.alarm_id,
    equipmentId: r.equipment_id,
    from: r.from_state,
    to: r.to_state,
    alarm: JSON.parse(r.alarm),
  };
  if (r.user !== null) t.user = r.user;
  if (r.reason !== null) t.reason = r.reason;
  return t;
}

/**
 * Opens (creating if needed) the alarm database in `dataDir`, or an in-memory one for ':memory:'.
 * WAL with synchronous=FULL: a committed transaction survives kill -9 and power loss.
 * Throws when the directory or database cannot be opened (main.ts refuses to start).
 */
export function openAlarmStore(dataDir: string): AlarmStore {
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, DB_FILE));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const insert = db.prepare(
    'INSERT INTO alarm_journal (seq, at, alarm_id, equipment_id, from_state, to_state, user, reason, alarm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.prepare(
    'INSERT INTO alarm_current (alarm_id, record) VALUES (?, ?) ON CONFLICT(alarm_id) DO UPDATE SET record = excluded.record',
  );
  const maxSeq = db.prepare<[], { m: number | null }>('SELECT MAX(seq) AS m FROM alarm_journal');
  const sinceStmt = db.prepare<[number, number], JournalRow>(
    'SELECT * FROM alarm_journal WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const raisesStmt = db.prepare<[number], { alarmId: string; at: number }>(
    `SELECT alarm_id AS alarmId, at FROM alarm_journal
     WHERE at >= ? AND to_state = 'unacknowledged' AND from_state IN ('normal', 'rtn-unacknowledged')
     ORDER BY seq`,
  );
  const commitTx = db.transaction(
    (transitions: readonly AlarmTransition[], records: readonly AlarmRecord[]) => {
      let last = 0;
      for (const t of transitions) {
        insert.run(
          t.seq,
          t.at,
          t.alarmId,
          t.equipmentId,
          t.from,
          t.to,
          t.user ?? null,
          t.reason ?? null,
          JSON.stringify(t.alarm),
        );
        last = Math.max(last, t.seq);
      }
      for (const r of records) upsert.run(r.alarm.id, JSON.stringify(r));
      if (last > 0) setMeta.run('alarmSeq', String(last));
    },
  );
  return {
    lastSeq() {
      const meta = Number(getMeta.get('alarmSeq')?.value ?? 0);
      return Math.max(Number.isFinite(meta) ? meta : 0, maxSeq.get()?.m ?? 0);
    },
    loadRecords() {
      const rows = db.prepare<[], { record: string }>('SELECT record FROM alarm_current').all();
      return rows.map((r) => JSON.parse(r.record) as AlarmRecord);
    },
    commit(transitions, records) {
      commitTx(transitions, records);
    },
    since(seq, max) {
      return sinceStmt.all(seq, max).map(toTransition);
    },
    history(q) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (q.from !== undefined) {
        where.push('at >= ?');
        args.push(q.from);
      }
      if (q.to !== undefined) {
        where.push('at <= ?');
        args.push(q.to);
      }
      if (q.equipment !== undefined) {
        where.push('equipment_id = ?');
        args.push(q.equipment);
      }
      const sql = `SELECT * FROM alarm_journal ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], JournalRow>(sql)
        .all(...args, q.limit)
        .map(toTransition);
    },
    raises(fromMs) {
      return raisesStmt.all(fromMs);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
