import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../server/auth/passwords';
import { DB_FILE } from '../../../server/store/alarmStore';
import { COPIED_TABLES, CopyRefusedError, copyFromSqlite } from '../../../server/store/pg/copyFromSqlite';
import { migrate } from '../../../server/store/pg/migrate';
import { SqliteSourceError } from '../../../server/store/pg/sqliteSource';
import { FIXTURE_PASSWORD, fingerprint, makePlantDataDir } from '../../helpers/plantDataDir';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres';
import { defaultLayout } from '../../helpers/server';

/** Every row of every copied table, as sorted JSON per table: two databases with equal dumps hold the same data. */
async function dump(pool: pg.Pool): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of COPIED_TABLES) {
    const r = await pool.query<{ r: string }>(`SELECT to_jsonb(x)::text AS r FROM ${t} x`);
    out[t] = r.rows.map((row) => row.r).sort();
  }
  return out;
}

/** Row counts of every table of a SQLite database file. */
function sqliteCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const t of COPIED_TABLES) {
      const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
      out[t] = has ? Number(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()) : 0;
    }
    return out;
  } finally {
    db.close();
  }
}

describe.skipIf(!hasPostgres)('copying a SQLite data directory into PostgreSQL', () => {
  let server: TestPostgres;
  let source: string;
  const dirs: string[] = [];
  const pools: pg.Pool[] = [];

  /** A migrated, empty database. */
  const freshDb = async () => {
    const pool = new pg.Pool({ connectionString: await server.createDatabase(), max: 2 });
    pools.push(pool);
    await migrate(pool);
    return pool;
  };
  /** A private copy of the fixture directory (for tests that must change the SQLite side). */
  const copyOfSource = () => {
    const d = mkdtempSync(join(tmpdir(), 'plant-copy-'));
    dirs.push(d);
    cpSync(source, d, { recursive: true });
    return d;
  };

  beforeAll(async () => {
    [server, source] = await Promise.all([startPostgres(), makePlantDataDir()]);
    dirs.push(source);
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('copies every row of every store, ids, times and JSON unchanged', async () => {
    const pool = await freshDb();
    const report = await copyFromSqlite(pool, source);
    const counts = sqliteCounts(join(source, DB_FILE));
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(counts);
    for (const t of COPIED_TABLES) {
      const n = await pool.query(`SELECT count(*)::int AS n FROM ${t}`);
      expect(n.rows[0].n, t).toBe(counts[t]);
    }
    // The fixture has something in every table but the value history (no ingest ran).
    for (const t of COPIED_TABLES.filter((x) => x !== 'value_history'))
      expect(counts[t], t).toBeGreaterThan(0);
    expect(report.tables.find((t) => t.table === 'value_history')?.inSource).toBe(false);

    const sqlite = new Database(join(source, DB_FILE), { readonly: true });
    try {
      const audit = sqlite.prepare('SELECT * FROM audit ORDER BY id').all() as Record<string, unknown>[];
      const pgAudit = await pool.query('SELECT * FROM audit ORDER BY id');
      // BIGINT arrives as text from node-postgres: compare as numbers.
      expect(pgAudit.rows.map((r) => ({ ...r, id: Number(r.id), at: Number(r.at) }))).toEqual(audit);

      const journal = sqlite.prepare('SELECT * FROM alarm_journal ORDER BY seq').all() as { alarm: string }[];
      const pgJournal = await pool.query('SELECT * FROM alarm_journal ORDER BY seq');
      expect(pgJournal.rows.map((r) => r.alarm)).toEqual(journal.map((r) => JSON.parse(r.alarm)));
      expect(pgJournal.rows.map((r) => r.to_state)).toContain('acknowledged');

      const current = sqlite.prepare('SELECT * FROM alarm_current ORDER BY alarm_id').all() as {
        record: string;
      }[];
      const pgCurrent = await pool.query('SELECT * FROM alarm_current ORDER BY alarm_id');
      expect(pgCurrent.rows.map((r) => r.record)).toEqual(current.map((r) => JSON.parse(r.record)));

      const chunk = sqlite.prepare('SELECT * FROM recording_chunks').get() as Record<string, unknown>;
      const pgChunk = (await pool.query('SELECT * FROM recording_chunks')).rows[0];
      for (const col of ['keyframe', 'state', 'frames', 'events'])
        expect(pgChunk[col], col).toEqual(chunk[col]);
      expect(Number(pgChunk.from_wall)).toBe(chunk.from_wall);

      const rec = sqlite.prepare('SELECT * FROM recordings').get() as { layout: string; ended_at: number };
      const pgRec = (await pool.query('SELECT * FROM recordings')).rows[0];
      expect(pgRec.layout).toEqual(JSON.parse(rec.layout));
      expect(Number(pgRec.ended_at)).toBe(rec.ended_at);
      expect(pgRec.scenario_id).toBeNull();

      const bookmarks = await pool.query(
        'SELECT recording_id, sim_s, label, "user" FROM recording_bookmarks',
      );
      expect(bookmarks.rows).toEqual([
        { recording_id: 'rec-1', sim_s: 0.5, label: 'conveyor jam starts', user: 'Ada' },
      ]);
      const sessions = await pool.query('SELECT "user", revoked_at FROM sessions ORDER BY "user"');
      expect(sessions.rows).toEqual([
        { user: 'Ada', revoked_at: null },
        { user: 'op1', revoked_at: null },
      ]);
    } finally {
      sqlite.close();
    }
  });

  it('keeps password hashes as they were, so a migrated user still logs in with their password', async () => {
    const pool = await freshDb();
    await copyFromSqlite(pool, source);
    const users = await pool.query<{ name: string; hash: string; role: string }>(
      'SELECT name, hash, role FROM users ORDER BY name',
    );
    expect(users.rows.map((u) => [u.name, u.role])).toEqual([
      ['Ada', 'admin'],
      ['op1', 'operator'],
    ]);
    for (const u of users.rows) {
      expect(await verifyPassword(FIXTURE_PASSWORD, u.hash), u.name).toBe(true);
      expect(await verifyPassword('wrong-password', u.hash), u.name).toBe(false);
    }
    // The token key came too: tokens signed before the move stay valid after it.
    const sqlite = new Database(join(source, DB_FILE), { readonly: true });
    const secret = sqlite.prepare("SELECT value FROM auth_meta WHERE key = 'tokenSecret'").pluck().get();
    sqlite.close();
    const key = await pool.query("SELECT value FROM auth_meta WHERE key = 'tokenSecret'");
    expect(key.rows[0].value).toBe(secret);
  });

  it('leaves the SQLite directory byte for byte as it was, with no stray -wal or -shm files', async () => {
    const before = fingerprint(source);
    await copyFromSqlite(await freshDb(), source);
    expect(fingerprint(source)).toEqual(before);
  });

  it('moves identity sequences past the copied ids, so new audit rows and bookmarks do not collide', async () => {
    const pool = await freshDb();
    await copyFromSqlite(pool, source);
    const top = await pool.query('SELECT max(id)::int AS m FROM audit');
    const next = await pool.query(
      `INSERT INTO audit (at, "user", source, action, result) VALUES (1, 'x', 'test', 'a', 'ok') RETURNING id::int`,
    );
    expect(next.rows[0].id).toBe(top.rows[0].m + 1);
    const bookmark = await pool.query(
      `INSERT INTO recording_bookmarks (recording_id, sim_s, label, created_at) VALUES ('rec-1', 1, 'b', 1) RETURNING id::int`,
    );
    expect(bookmark.rows[0].id).toBe(2);
  });

  it('refuses a second copy without --replace, naming the tables that hold rows, and changes nothing', async () => {
    const pool = await freshDb();
    await copyFromSqlite(pool, source);
    await pool.query(
      `INSERT INTO audit (at, "user", source, action, result) VALUES (1, 'x', 'test', 'after', 'ok')`,
    );
    const before = await dump(pool);
    const again = copyFromSqlite(pool, source);
    await expect(again).rejects.toBeInstanceOf(CopyRefusedError);
    await expect(copyFromSqlite(pool, source)).rejects.toThrow(/already holds rows in .*users.*--replace/);
    expect(await dump(pool)).toEqual(before);
  });

  it('with --replace ends with exactly what a single copy into an empty database gives', async () => {
    const single = await freshDb();
    await copyFromSqlite(single, source);
    const replaced = await freshDb();
    await copyFromSqlite(replaced, source);
    await replaced.query(
      `INSERT INTO audit (at, "user", source, action, result) VALUES (1, 'x', 'test', 'extra', 'ok')`,
    );
    await replaced.query(
      `INSERT INTO value_history (equipment, signal, value, quality, src_ms, rx_ms) VALUES ('e', 's', 1, 0, 1, 1)`,
    );
    const report = await copyFromSqlite(replaced, source, { replace: true });
    expect(report.replaced).toBe(true);
    expect(await dump(replaced)).toEqual(await dump(single));
  });

  it('gives up, writing nothing, when a running node keeps the tables busy', async () => {
    const pool = await freshDb();
    const node = await pool.connect();
    try {
      await node.query('BEGIN');
      await node.query('SELECT count(*) FROM users'); // holds a lock on users until the end of its transaction
      await expect(copyFromSqlite(pool, source, { lockTimeoutMs: 300 })).rejects.toThrow(
        /tables stayed in use for 0.3 s \(is a server running on this database\?\); nothing written/,
      );
      await node.query('ROLLBACK');
    } finally {
      node.release();
    }
    expect(Object.values(await dump(pool)).flat()).toEqual([]);
  });

  it('fails on a file that is not a SQLite database, naming its path, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-garbage-'));
    dirs.push(dir);
    writeFileSync(join(dir, DB_FILE), 'this is not a database '.repeat(200));
    const pool = await freshDb();
    const before = await dump(pool);
    const failed = copyFromSqlite(pool, dir);
    await expect(failed).rejects.toBeInstanceOf(SqliteSourceError);
    await expect(copyFromSqlite(pool, dir)).rejects.toThrow(join(dir, DB_FILE));
    expect(await dump(pool)).toEqual(before);
  });

  it('fails on a directory without a database, naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-empty-'));
    dirs.push(dir);
    const pool = await freshDb();
    await expect(copyFromSqlite(pool, dir)).rejects.toThrow(`${join(dir, DB_FILE)}: no SQLite database here`);
    await expect(copyFromSqlite(pool, join(dir, 'nope'))).rejects.toThrow(
      `${join(dir, 'nope')}: no such directory`,
    );
  });

  it('fails clearly on a SQLite column the PostgreSQL table lacks, and writes nothing', async () => {
    const dir = copyOfSource();
    const db = new Database(join(dir, DB_FILE));
    db.exec("ALTER TABLE audit ADD COLUMN shift TEXT DEFAULT 'night'");
    db.close();
    const pool = await freshDb();
    await expect(copyFromSqlite(pool, dir)).rejects.toThrow(
      /column mismatch: SQLite table audit has column\(s\) shift that the PostgreSQL table lacks/,
    );
    expect(Object.values(await dump(pool)).flat()).toEqual([]);
  });

  it('fails clearly on a SQLite table it does not know, and writes nothing', async () => {
    const dir = copyOfSource();
    const db = new Database(join(dir, DB_FILE));
    db.exec('CREATE TABLE shift_notes (id INTEGER PRIMARY KEY, note TEXT)');
    db.close();
    const pool = await freshDb();
    await expect(copyFromSqlite(pool, dir)).rejects.toThrow(
      /table\(s\) this version does not copy: shift_notes/,
    );
    expect(Object.values(await dump(pool)).flat()).toEqual([]);
  });

  it('copies design drafts and their versions, which stay immutable in PostgreSQL', async () => {
    const pool = await freshDb();
    const report = await copyFromSqlite(pool, copyOfSource());
    expect(report.tables.find((t) => t.table === 'design_drafts')?.rows).toBe(1);
    expect(report.tables.find((t) => t.table === 'design_versions')?.rows).toBe(1);
    const v = await pool.query(
      'SELECT d.name, v.message, v.author, v.layout FROM design_versions v JOIN design_drafts d ON d.id = v.design_id',
    );
    expect(v.rows).toEqual([
      { name: 'Line 2 rebalance', message: 'as it is today', author: 'eng1', layout: defaultLayout() },
    ]);
    await expect(pool.query("UPDATE design_versions SET message = 'rewritten'")).rejects.toThrow(/immutable/);
    await expect(pool.query('DELETE FROM design_versions')).rejects.toThrow(/immutable/);
  });

  it('copies a file made before users had a locale, leaving it empty, and says so', async () => {
    const dir = copyOfSource();
    const db = new Database(join(dir, DB_FILE));
    db.exec('ALTER TABLE users DROP COLUMN locale');
    db.close();
    const pool = await freshDb();
    const report = await copyFromSqlite(pool, dir);
    expect(report.tables.find((t) => t.table === 'users')?.filled).toEqual(['locale']);
    const users = await pool.query('SELECT name, locale FROM users ORDER BY name');
    expect(users.rows).toEqual([
      { name: 'Ada', locale: null },
      { name: 'op1', locale: null },
    ]);
  });

  it('keeps 64-bit integers exact and refuses a value that would change meaning, naming table, row and column', async () => {
    const dir = copyOfSource();
    const big = 2n ** 62n + 1n; // not representable as a double
    const db = new Database(join(dir, DB_FILE));
    db.defaultSafeIntegers(true);
    db.prepare('UPDATE audit SET at = ? WHERE id = 1').run(big);
    db.close();
    const pool = await freshDb();
    await copyFromSqlite(pool, dir);
    const at = await pool.query('SELECT at::text AS at FROM audit WHERE id = 1');
    expect(at.rows[0].at).toBe(big.toString());

    const bad = copyOfSource();
    const db2 = new Database(join(bad, DB_FILE));
    db2.prepare("UPDATE audit SET at = 'yesterday' WHERE id = 2").run();
    db2.close();
    const pool2 = await freshDb();
    await expect(copyFromSqlite(pool2, bad)).rejects.toThrow(
      /audit row 2, column at: text "yesterday" is not an integer/,
    );
    expect(Object.values(await dump(pool2)).flat()).toEqual([]);
  });
});
