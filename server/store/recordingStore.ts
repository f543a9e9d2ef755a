import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Layout } from '../../protocol/layout';
import { DB_FILE } from './alarmStore';

/** What was recorded: the live plant or a training session. */
export type RecordingKind = 'live' | 'training';

/** A recording's header row. Times: wall ms since epoch; simulation s. */
export interface RecordingInfo {
  id: string;
  kind: RecordingKind;
  sessionId: string;
  scenarioId: string | null;
  seed: number;
  startedAt: number;
  endedAt: number | null;
  layout: Layout;
  /** Simulation time covered so far (first chunk start .. last chunk end), s. */
  fromSimS: number;
  toSimS: number;
  /** Stored bytes of its chunks (compressed). */
  bytes: number;
}

/** One stored chunk: a run of delta frames, with a keyframe and state when it starts a group. */
export interface ChunkRow {
  seq: number;
  fromTick: number;
  toTick: number;
  fromSimS: number;
  toSimS: number;
  fromWall: number;
  toWall: number;
  /** Compressed full frame of the state before the chunk's first frame (group start only). */
  keyframe: Buffer | null;
  /** Compressed JSON of the alarms, KPIs and recent events at the chunk start (group start only). */
  state: Buffer | null;
  /** Compressed columnar frames (see chunkCodec). */
  frames: Buffer;
  /** Compressed JSON of the chunk's events, alarm transitions and KPI updates. */
  events: Buffer;
}

/** An alarm raise, kept uncompressed for the timeline ("jump to next alarm"). */
export interface AlarmMark {
  simS: number;
  alarmId: string;
  priority: string;
}

export interface Bookmark {
  id: number;
  simS: number;
  label: string;
  createdAt: number;
  user: string | null;
}

/** Retention of a recording: oldest whole keyframe groups go first. */
export interface Retention {
  /** Keep chunks that ended within this many wall ms of `nowMs`. */
  maxAgeMs?: number;
  /** Keep at most this many stored bytes. */
  maxBytes?: number;
}

export interface NewRecording {
  id: string;
  kind: RecordingKind;
  sessionId: string;
  scenarioId?: string | null;
  seed: number;
  startedAt: number;
  layout: Layout;
}

/** The recordings database: headers, chunks, alarm marks, bookmarks. */
export interface RecordingStore {
  /** The data directory it was opened on (':memory:' for an in-memory database). */
  readonly dataDir: string;
  /** Creates a recording; throws when the id exists. */
  create(rec: NewRecording): void;
  get(id: string): RecordingInfo | null;
  /** Every recording, newest first. */
  list(): RecordingInfo[];
  /** Stores one chunk and its alarm marks in one transaction. */
  appendChunk(id: string, chunk: ChunkRow, marks: readonly AlarmMark[]): void;
  end(id: string, endedAt: number): void;
  /** Sequence of the last chunk starting a group at or before `simS` (the first group if before all). */
  groupStartAt(id: string, simS: number): number | null;
  /** Chunks with seq in [fromSeq, ..] whose start is at or before `toSimS`, in order. */
  chunks(id: string, fromSeq: number, toSimS: number): ChunkRow[];
  /** The chunk with `seq`. */
  chunk(id: string, seq: number): ChunkRow | null;
  /** The chunk holding `simS`, or the last before it. */
  chunkAt(id: string, simS: number): ChunkRow | null;
  marks(id: string): AlarmMark[];
  addBookmark(id: string, simS: number, label: string, createdAt: number, user?: string | null): Bookmark;
  bookmarks(id: string): Bookmark[];
  /** Deletes the oldest groups beyond the retention; returns the chunks deleted. */
  trim(id: string, retention: Retention, nowMs: number): number;
  remove(id: string): void;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS recordings (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('live', 'training')),
  session_id TEXT NOT NULL,
  scenario_id TEXT,
  seed INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  layout TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recording_chunks (
  recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  from_tick INTEGER NOT NULL,
  to_tick INTEGER NOT NULL,
  from_sim_s REAL NOT NULL,
  to_sim_s REAL NOT NULL,
  from_wall INTEGER NOT NULL,
  to_wall INTEGER NOT NULL,
  keyframe BLOB,
  state BLOB,
  frames BLOB NOT NULL,
  events BLOB NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (recording_id, seq)
);
CREATE INDEX IF NOT EXISTS recording_chunks_sim ON recording_chunks (recording_id, from_sim_s);
CREATE TABLE IF NOT EXISTS recording_marks (
  recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  sim_s REAL NOT NULL,
  alarm_id TEXT NOT NULL,
  priority TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS recording_marks_sim ON recording_marks (recording_id, sim_s);
CREATE TABLE IF NOT EXISTS recording_bookmarks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
  sim_s REAL NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  user TEXT
);
CREATE INDEX IF NOT EXISTS recording_bookmarks_sim ON recording_bookmarks (recording_id, sim_s);
`;

interface RecRow {
  id: string;
  kind: RecordingKind;
  session_id: string;
  scenario_id: string | null;
  seed: number;
  started_at: number;
  ended_at: number | null;
  layout: string;
  from_sim_s: number | null;
  to_sim_s: number | null;
  bytes: number | null;
}

interface ChunkDbRow {
  seq: number;
  from_tick: number;
  to_tick: number;
  from_sim_s: number;
  to_sim_s: number;
  from_wall: number;
  to_wall: number;
  keyframe: Buffer | null;
  state: Buffer | null;
  frames: Buffer;
  events: Buffer;
}

function toChunk(r: ChunkDbRow): ChunkRow {
  return {
    seq: r.seq,
    fromTick: r.from_tick,
    toTick: r.to_tick,
    fromSimS: r.from_sim_s,
    toSimS: r.to_sim_s,
    fromWall: r.from_wall,
    toWall: r.to_wall,
    keyframe: r.keyframe,
    state: r.state,
    frames: r.frames,
    events: r.events,
  };
}

function toInfo(r: RecRow): RecordingInfo {
  return {
    id: r.id,
    kind: r.kind,
    sessionId: r.session_id,
    scenarioId: r.scenario_id,
    seed: r.seed,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    layout: JSON.parse(r.layout) as Layout,
    fromSimS: r.from_sim_s ?? 0,
    toSimS: r.to_sim_s ?? 0,
    bytes: r.bytes ?? 0,
  };
}

const INFO_SQL = `SELECT r.*, (SELECT MIN(from_sim_s) FROM recording_chunks c WHERE c.recording_id = r.id) AS from_sim_s,
  (SELECT MAX(to_sim_s) FROM recording_chunks c WHERE c.recording_id = r.id) AS to_sim_s,
  (SELECT SUM(bytes) FROM recording_chunks c WHERE c.recording_id = r.id) AS bytes
  FROM recordings r`;

/** A chunk as retention sees it: `key` is truthy when it starts a keyframe group. */
export interface TrimRow {
  seq: number;
  to_wall: number;
  bytes: number;
  key: number | boolean;
}

/**
 * Where retention cuts a recording (chunks in seq order): the seq of the first chunk kept, or -1
 * to keep all, and how many chunks go. Whole groups go, oldest first, while the rest still breaks
 * a limit; never the newest group. Shared by both engines' stores.
 */
export function trimCut(rows: readonly TrimRow[], retention: Retention, nowMs: number) {
  let total = 0;
  for (const r of rows) total += r.bytes;
  let cut = -1;
  let dropped = 0;
  let remaining = total;
  let i = 0;
  while (i < rows.length) {
    let j = i + 1;
    while (j < rows.length && !rows[j].key) j++;
    if (j >= rows.length) break; // never the newest group
    const groupBytes = rows.slice(i, j).reduce((a, r) => a + r.bytes, 0);
    const groupEnd = rows[j - 1].to_wall;
    const tooOld = retention.maxAgeMs !== undefined && groupEnd < nowMs - retention.maxAgeMs;
    const tooBig = retention.maxBytes !== undefined && remaining > retention.maxBytes;
    if (!tooOld && !tooBig) break;
    remaining -= groupBytes;
    dropped += j - i;
    cut = rows[j].seq;
    i = j;
  }
  return { cut, dropped };
}

/** Stored size of a chunk, bytes (its compressed blobs). */
export const chunkBytes = (c: ChunkRow): number =>
  c.frames.length + c.events.length + (c.keyframe?.length ?? 0) + (c.state?.length ?? 0);

/**
 * Opens (creating if needed) the recordings tables in `dataDir`'s database (the same file as the
 * alarms, its own connection), or an in-memory database for ':memory:'. WAL with
 * synchronous=NORMAL: a recording chunk is not an acknowledgement, so it is not fsynced on every
 * commit (a power cut may lose the last chunks, never corrupt the file); the alarm journal's own
 * connection keeps synchronous=FULL.
 */
export function openRecordingStore(dataDir: string): RecordingStore {
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, DB_FILE));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  const insertRec = db.prepare(
    'INSERT INTO recordings (id, kind, session_id, scenario_id, seed, started_at, layout) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const getRec = db.prepare<[string], RecRow>(`${INFO_SQL} WHERE r.id = ?`);
  const listRec = db.prepare<[], RecRow>(`${INFO_SQL} ORDER BY r.started_at DESC`);
  const insertChunk = db.prepare(
    `INSERT INTO recording_chunks (recording_id, seq, from_tick, to_tick, from_sim_s, to_sim_s, from_wall, to_wall,
      keyframe, state, frames, events, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMark = db.prepare(
    'INSERT INTO recording_marks (recording_id, sim_s, alarm_id, priority) VALUES (?, ?, ?, ?)',
  );
  const endRec = db.prepare('UPDATE recordings SET ended_at = ? WHERE id = ?');
  const groupAt = db.prepare<[string, number], { seq: number }>(
    `SELECT seq FROM recording_chunks WHERE recording_id = ? AND keyframe IS NOT NULL AND from_sim_s <= ?
     ORDER BY seq DESC LIMIT 1`,
  );
  const firstGroup = db.prepare<[string], { seq: number }>(
    'SELECT seq FROM recording_chunks WHERE recording_id = ? AND keyframe IS NOT NULL ORDER BY seq LIMIT 1',
  );
  const chunksStmt = db.prepare<[string, number, number], ChunkDbRow>(
    `SELECT * FROM recording_chunks WHERE recording_id = ? AND seq >= ? AND from_sim_s <= ? ORDER BY seq`,
  );
  const chunkStmt = db.prepare<[string, number], ChunkDbRow>(
    'SELECT * FROM recording_chunks WHERE recording_id = ? AND seq = ?',
  );
  const chunkAtStmt = db.prepare<[string, number], ChunkDbRow>(
    `SELECT * FROM recording_chunks WHERE recording_id = ? AND from_sim_s <= ? ORDER BY from_sim_s DESC, seq DESC LIMIT 1`,
  );
  const marksStmt = db.prepare<[string], { simS: number; alarmId: string; priority: string }>(
    'SELECT sim_s AS simS, alarm_id AS alarmId, priority FROM recording_marks WHERE recording_id = ? ORDER BY sim_s',
  );
  const insertBookmark = db.prepare(
    'INSERT INTO recording_bookmarks (recording_id, sim_s, label, created_at, user) VALUES (?, ?, ?, ?, ?)',
  );
  const bookmarksStmt = db.prepare<[string], Bookmark>(
    'SELECT id, sim_s AS simS, label, created_at AS createdAt, user FROM recording_bookmarks WHERE recording_id = ? ORDER BY sim_s, id',
  );
  const groupsStmt = db.prepare<[string], TrimRow>(
    `SELECT seq, to_wall, bytes, keyframe IS NOT NULL AS key FROM recording_chunks WHERE recording_id = ? ORDER BY seq`,
  );
  const deleteBefore = db.prepare('DELETE FROM recording_chunks WHERE recording_id = ? AND seq < ?');
  const deleteMarks = db.prepare('DELETE FROM recording_marks WHERE recording_id = ? AND sim_s < ?');
  const fromSimOf = db.prepare<[string, number], { from_sim_s: number }>(
    'SELECT from_sim_s FROM recording_chunks WHERE recording_id = ? AND seq = ?',
  );

  const appendTx = db.transaction((id: string, c: ChunkRow, marks: readonly AlarmMark[]) => {
    const bytes = chunkBytes(c);
    insertChunk.run(
      id,
      c.seq,
      c.fromTick,
      c.toTick,
      c.fromSimS,
      c.toSimS,
      c.fromWall,
      c.toWall,
      c.keyframe,
      c.state,
      c.frames,
      c.events,
      bytes,
    );
    for (const m of marks) insertMark.run(id, m.simS, m.alarmId, m.priority);
  });

  const trimTx = db.transaction((id: string, retention: Retention, nowMs: number): number => {
    const { cut, dropped } = trimCut(groupsStmt.all(id), retention, nowMs);
    if (cut < 0) return 0;
    deleteBefore.run(id, cut);
    const from = fromSimOf.get(id, cut);
    if (from) deleteMarks.run(id, from.from_sim_s);
    return dropped;
  });

  return {
    dataDir,
    create(rec) {
      insertRec.run(
        rec.id,
        rec.kind,
        rec.sessionId,
        rec.scenarioId ?? null,
        rec.seed,
        rec.startedAt,
        JSON.stringify(rec.layout),
      );
    },
    get(id) {
      const r = getRec.get(id);
      return r ? toInfo(r) : null;
    },
    list() {
      return listRec.all().map(toInfo);
    },
    appendChunk(id, chunk, marks) {
      appendTx(id, chunk, marks);
    },
    end(id, endedAt) {
      endRec.run(endedAt, id);
    },
    groupStartAt(id, simS) {
      return (groupAt.get(id, simS) ?? firstGroup.get(id))?.seq ?? null;
    },
    chunks(id, fromSeq, toSimS) {
      return chunksStmt.all(id, fromSeq, toSimS).map(toChunk);
    },
    chunk(id, seq) {
      const r = chunkStmt.get(id, seq);
      return r ? toChunk(r) : null;
    },
    chunkAt(id, simS) {
      const r = chunkAtStmt.get(id, simS);
      return r ? toChunk(r) : null;
    },
    marks(id) {
      return marksStmt.all(id);
    },
    addBookmark(id, simS, label, createdAt, user = null) {
      const r = insertBookmark.run(id, simS, label, createdAt, user);
      return { id: Number(r.lastInsertRowid), simS, label, createdAt, user };
    },
    bookmarks(id) {
      return bookmarksStmt.all(id);
    },
    trim(id, retention, nowMs) {
      return trimTx(id, retention, nowMs);
    },
    remove(id) {
      db.prepare('DELETE FROM recordings WHERE id = ?').run(id);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
