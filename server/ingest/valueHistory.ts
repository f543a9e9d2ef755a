import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { type EquipmentKind, type HistoricalValue, signalsOf } from '../../protocol';
import { DB_FILE } from '../store/alarmStore';
import type { ValueHistory } from './ingestSink';
import { qualityName } from './liveValues';

/** How much value history is kept and how it is written. */
export interface ValueHistoryLimits {
  /** Rows received longer ago than this are deleted, ms (default 7 days). */
  retentionMs: number;
  /** At most this many rows are kept; the oldest go first (default 5 million). */
  maxRows: number;
  /** Pruning runs at most this often, ms (default 1 min). */
  pruneEveryMs: number;
  /** Most rows deleted per pruning round, so one round never holds the loop long. */
  prunePerRound: number;
  /** Most rows waiting for the next flush; beyond it new values are dropped (counted). */
  maxPending: number;
}

export const DEFAULT_HISTORY_LIMITS: ValueHistoryLimits = {
  retentionMs: 7 * 24 * 3600 * 1000,
  maxRows: 5_000_000,
  pruneEveryMs: 60_000,
  prunePerRound: 50_000,
  maxPending: 100_000,
};

/** One history query: source times inclusive, ms since epoch. */
export interface HistoryRange {
  equipment: string;
  signal: string;
  from: number;
  to: number;
  limit: number;
}

/** The value history as the ingest writes it and the HTTP API reads it. */
export interface ValueHistoryStore extends ValueHistory {
  /** Writes what was recorded since the last flush in one transaction (once a tick); prunes when due. */
  flush(nowMs: number): number;
  /** Stored values of one signal, ordered by source time (oldest first). */
  query(q: HistoryRange): HistoricalValue[];
  /** Values not stored: over maxPending, not a number, or lost to a failed write. */
  readonly dropped: number;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS value_history (
  id INTEGER PRIMARY KEY,
  equipment TEXT NOT NULL,
  signal TEXT NOT NULL,
  value REAL NOT NULL,
  quality INTEGER NOT NULL,
  src_ms INTEGER NOT NULL,
  rx_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS value_history_signal ON value_history (equipment, signal, src_ms);
CREATE INDEX IF NOT EXISTS value_history_rx ON value_history (rx_ms);
`;

/** Numbers per pending row: equipment, signal, value, quality, source ms, receive ms. */
const STRIDE = 6;

interface Row {
  value: number;
  quality: number;
  src_ms: number;
  rx_ms: number;
}

/**
 * Opens (creating if needed) the value history table in `dataDir`'s database (the file the alarms
 * and recordings use, its own connection), or an in-memory one for ':memory:'. Rows name the
 * equipment and signal by id and key, not index, so they stay right when the plant file changes.
 * `record` only appends to a typed array (no allocation on the ingest's drain); `flush` writes
 * the batch. synchronous=NORMAL: a history row is not an acknowledgement (a power cut may lose
 * the last batches, never corrupt the file). Throws when the database cannot be opened.
 */
export function openValueHistory(
  dataDir: string,
  equipment: readonly { id: string; kind: EquipmentKind }[],
  opts: { limits?: Partial<ValueHistoryLimits>; logger?: Logger } = {},
): ValueHistoryStore {
  const limits = { ...DEFAULT_HISTORY_LIMITS, ...opts.limits };
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, DB_FILE));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const ids = equipment.map((e) => e.id);
  const keys = equipment.map((e) => signalsOf(e.kind).map((s) => s.key));
  const insert = db.prepare(
    'INSERT INTO value_history (equipment, signal, value, quality, src_ms, rx_ms) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const pruneOld = db.prepare(
    'DELETE FROM value_history WHERE id IN (SELECT id FROM value_history WHERE rx_ms < ? ORDER BY rx_ms LIMIT ?)',
  );
  const maxId = db.prepare<[], { m: number | null }>('SELECT MAX(id) AS m FROM value_history');
  const pruneOver = db.prepare(
    'DELETE FROM value_history WHERE id IN (SELECT id FROM value_history WHERE id <= ? ORDER BY id LIMIT ?)',
  );
  const select = db.prepare<[string, string, number, number, number], Row>(
    `SELECT value, quality, src_ms, rx_ms FROM value_history
     WHERE equipment = ? AND signal = ? AND src_ms >= ? AND src_ms <= ? ORDER BY src_ms, id LIMIT ?`,
  );
  let pending = new Float64Array(STRIDE * 1024);
  let count = 0;
  let dropped = 0;
  let lastPrune = Number.NEGATIVE_INFINITY;
  const write = db.transaction((n: number) => {
    for (let i = 0, at = 0; i < n; i++, at += STRIDE) {
      const eq = pending[at];
      insert.run(
        ids[eq],
        keys[eq][pending[at + 1]],
        pending[at + 2],
        pending[at + 3],
        pending[at + 4],
        pending[at + 5],
      );
    }
  });
  const prune = (nowMs: number) => {
    pruneOld.run(nowMs - limits.retentionMs, limits.prunePerRound);
    const m = maxId.get()?.m ?? 0;
    if (m > limits.maxRows) pruneOver.run(m - limits.maxRows, limits.prunePerRound);
  };
  return {
    record(eq, sig, value, quality, srcMs, rxMs) {
      // Only values of this plant's signals are kept; a NaN would fail the whole batch.
      if (keys[eq]?.[sig] === undefined || !Number.isFinite(value) || !Number.isFinite(srcMs)) {
        dropped++;
        return;
      }
      if (count >= limits.maxPending) {
        dropped++;
        return;
      }
      let at = count * STRIDE;
      if (at + STRIDE > pending.length) {
        const grown = new Float64Array(Math.min(pending.length * 2, limits.maxPending * STRIDE));
        grown.set(pending);
        pending = grown;
      }
      pending[at++] = eq;
      pending[at++] = sig;
      pending[at++] = value;
      pending[at++] = quality;
      pending[at++] = srcMs;
      pending[at] = rxMs;
      count++;
    },
    flush(nowMs) {
      if (!db.open) return 0;
      const n = count;
      count = 0;
      try {
        if (n > 0) write(n);
        if (nowMs - lastPrune >= limits.pruneEveryMs) {
          lastPrune = nowMs;
          prune(nowMs);
        }
      } catch (err) {
        // A full disk or a locked file must not stop the plant: the batch is lost, and said so.
        dropped += n;
        opts.logger?.warn({ err, rows: n }, 'value history: a batch could not be written');
        return 0;
      }
      return n;
    },
    query(q) {
      return select.all(q.equipment, q.signal, q.from, q.to, q.limit).map((r) => ({
        value: r.value,
        quality: qualityName(r.quality),
        sourceTimestamp: r.src_ms,
        receivedAt: r.rx_ms,
      }));
    },
    get dropped() {
      return dropped;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
