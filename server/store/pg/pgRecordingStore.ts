import type { Pool } from 'pg';
import type { Layout } from '../../../protocol/layout';
import type { AsyncRecordingStore, ChunkRow, RecordingInfo } from '../api/recordingApi';
import { chunkBytes, type RecordingKind, type TrimRow, trimCut } from '../recordingStore';
import { pgJson, requireCurrentSchema, sql, transaction } from './pgQuery';

interface RecRow {
  id: string;
  kind: RecordingKind;
  session_id: string;
  scenario_id: string | null;
  seed: number;
  started_at: number;
  ended_at: number | null;
  /** JSONB: node-postgres parses it. */
  layout: Layout;
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

const toChunk = (r: ChunkDbRow): ChunkRow => ({
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
});

const toInfo = (r: RecRow): RecordingInfo => ({
  id: r.id,
  kind: r.kind,
  sessionId: r.session_id,
  scenarioId: r.scenario_id,
  seed: r.seed,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  layout: r.layout,
  fromSimS: r.from_sim_s ?? 0,
  toSimS: r.to_sim_s ?? 0,
  bytes: r.bytes ?? 0,
});

/** SUM of a BIGINT is NUMERIC in PostgreSQL: cast back so it reads as a number. */
const INFO_SQL = `SELECT r.*, (SELECT MIN(from_sim_s) FROM recording_chunks c WHERE c.recording_id = r.id) AS from_sim_s,
  (SELECT MAX(to_sim_s) FROM recording_chunks c WHERE c.recording_id = r.id) AS to_sim_s,
  (SELECT SUM(bytes)::bigint FROM recording_chunks c WHERE c.recording_id = r.id) AS bytes
  FROM recordings r`;

const CHUNK_COLUMNS =
  'seq, from_tick, to_tick, from_sim_s, to_sim_s, from_wall, to_wall, keyframe, state, frames, events';

/**
 * The recording store on a migrated PostgreSQL database, same meaning as the SQLite one: a chunk
 * and its marks are one transaction, retention one more (the same group walk). A bookmark label
 * with U+0000 (which PostgreSQL text refuses) is kept with U+FFFD. The pool stays the caller's.
 * Rejects a database whose schema is not current (see requireCurrentSchema).
 */
export async function openPgRecordingStore(pool: Pool): Promise<AsyncRecordingStore> {
  await requireCurrentSchema(pool);
  const chunkRows = async (text: string, values: unknown[]) =>
    (await sql<ChunkDbRow>(pool, text, values)).rows.map(toChunk);
  return {
    async create(rec) {
      await sql(
        pool,
        'INSERT INTO recordings (id, kind, session_id, scenario_id, seed, started_at, layout) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          rec.id,
          rec.kind,
          rec.sessionId,
          rec.scenarioId ?? null,
          rec.seed,
          rec.startedAt,
          pgJson(rec.layout),
        ],
      );
    },
    async get(id) {
      const r = await sql<RecRow>(pool, `${INFO_SQL} WHERE r.id = $1`, [id]);
      return r.rows[0] ? toInfo(r.rows[0]) : null;
    },
    async list() {
      return (await sql<RecRow>(pool, `${INFO_SQL} ORDER BY r.started_at DESC`)).rows.map(toInfo);
    },
    async appendChunk(id, c, marks) {
      await transaction(pool, async (client) => {
        await sql(
          client,
          `INSERT INTO recording_chunks (recording_id, ${CHUNK_COLUMNS}, bytes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
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
            chunkBytes(c),
          ],
        );
        for (const m of marks)
          await sql(
            client,
            'INSERT INTO recording_marks (recording_id, sim_s, alarm_id, priority) VALUES ($1, $2, $3, $4)',
            [id, m.simS, m.alarmId, m.priority],
          );
      });
    },
    async end(id, endedAt) {
      await sql(pool, 'UPDATE recordings SET ended_at = $1 WHERE id = $2', [endedAt, id]);
    },
    async groupStartAt(id, simS) {
      const at = await sql<{ seq: number }>(
        pool,
        `SELECT seq FROM recording_chunks WHERE recording_id = $1 AND keyframe IS NOT NULL AND from_sim_s <= $2
         ORDER BY seq DESC LIMIT 1`,
        [id, simS],
      );
      if (at.rows[0]) return at.rows[0].seq;
      const first = await sql<{ seq: number }>(
        pool,
        'SELECT seq FROM recording_chunks WHERE recording_id = $1 AND keyframe IS NOT NULL ORDER BY seq LIMIT 1',
        [id],
      );
      return first.rows[0]?.seq ?? null;
    },
    chunks: (id, fromSeq, toSimS) =>
      chunkRows(
        `SELECT ${CHUNK_COLUMNS} FROM recording_chunks WHERE recording_id = $1 AND seq >= $2 AND from_sim_s <= $3 ORDER BY seq`,
        [id, fromSeq, toSimS],
      ),
    async chunk(id, seq) {
      const r = await chunkRows(
        `SELECT ${CHUNK_COLUMNS} FROM recording_chunks WHERE recording_id = $1 AND seq = $2`,
        [id, seq],
      );
      return r[0] ?? null;
    },
    async chunkAt(id, simS) {
      const r = await chunkRows(
        `SELECT ${CHUNK_COLUMNS} FROM recording_chunks WHERE recording_id = $1 AND from_sim_s <= $2
         ORDER BY from_sim_s DESC, seq DESC LIMIT 1`,
        [id, simS],
      );
      return r[0] ?? null;
    },
    async marks(id) {
      const r = await sql<{ simS: number; alarmId: string; priority: string }>(
        pool,
        'SELECT sim_s AS "simS", alarm_id AS "alarmId", priority FROM recording_marks WHERE recording_id = $1 ORDER BY sim_s',
        [id],
      );
      return r.rows;
    },
    async addBookmark(id, simS, label, createdAt, user = null) {
      const r = await sql<{ id: number }>(
        pool,
        'INSERT INTO recording_bookmarks (recording_id, sim_s, label, created_at, "user") VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [id, simS, label, createdAt, user],
      );
      return { id: r.rows[0].id, simS, label, createdAt, user };
    },
    async bookmarks(id) {
      const r = await sql<{
        id: number;
        simS: number;
        label: string;
        createdAt: number;
        user: string | null;
      }>(
        pool,
        `SELECT id, sim_s AS "simS", label, created_at AS "createdAt", "user" FROM recording_bookmarks
         WHERE recording_id = $1 ORDER BY sim_s, id`,
        [id],
      );
      return r.rows;
    },
    trim: (id, retention, nowMs) =>
      transaction(pool, async (client) => {
        // The recording's header row, locked: two trims of one recording run one after another.
        await sql(client, 'SELECT id FROM recordings WHERE id = $1 FOR UPDATE', [id]);
        const rows = await sql<TrimRow>(
          client,
          'SELECT seq, to_wall, bytes, keyframe IS NOT NULL AS key FROM recording_chunks WHERE recording_id = $1 ORDER BY seq',
          [id],
        );
        const { cut, dropped } = trimCut(rows.rows, retention, nowMs);
        if (cut < 0) return 0;
        const from = await sql<{ from_sim_s: number }>(
          client,
          'SELECT from_sim_s FROM recording_chunks WHERE recording_id = $1 AND seq = $2',
          [id, cut],
        );
        await sql(client, 'DELETE FROM recording_chunks WHERE recording_id = $1 AND seq < $2', [id, cut]);
        if (from.rows[0])
          await sql(client, 'DELETE FROM recording_marks WHERE recording_id = $1 AND sim_s < $2', [
            id,
            from.rows[0].from_sim_s,
          ]);
        return dropped;
      }),
    async remove(id) {
      await sql(pool, 'DELETE FROM recordings WHERE id = $1', [id]);
    },
    close: async () => {},
  };
}
