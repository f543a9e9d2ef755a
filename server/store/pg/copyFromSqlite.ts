import type { Pool, PoolClient } from 'pg';
import { convertValue, type PgColumn } from './pgValue';
import { openSqliteSource, type SqliteSource, type SqliteValue } from './sqliteSource';

/**
 * Every table of the server's SQLite database, in an order that puts a row after the rows it
 * references (recordings before their chunks, marks and bookmarks; drafts before their versions).
 */
export const COPIED_TABLES = [
  'auth_meta',
  'users',
  'sessions',
  'audit',
  'meta',
  'alarm_journal',
  'alarm_current',
  'recordings',
  'recording_chunks',
  'recording_marks',
  'recording_bookmarks',
  'value_history',
  'design_drafts',
  'design_versions',
  'plant_publications',
] as const;

/** The copy cannot be made as asked (data already there, a schema mismatch, a bad row). */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

/** What happened to one table. */
export interface TableReport {
  table: string;
  /** Rows copied (0 when the SQLite file has no such table). */
  rows: number;
  /** False when the SQLite file has no such table (that store never ran). */
  inSource: boolean;
  /** PostgreSQL columns the SQLite table lacks (an older file): left NULL or at their default. */
  filled: string[];
}

export interface CopyReport {
  file: string;
  tables: TableReport[];
  /** Whether --replace emptied tables that held rows. */
  replaced: boolean;
}

/** Most parameters in one INSERT (PostgreSQL's limit is 65535). */
const MAX_PARAMS = 30_000;
/** Most rows in one INSERT. */
const MAX_ROWS = 500;
/** An INSERT is sent once its values reach this many bytes (recording chunks are large BLOBs). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** How long the copy waits for the tables when something else uses them, ms (default). */
const LOCK_TIMEOUT_MS = 10_000;
/** PostgreSQL's SQLSTATE for lock_timeout expiring. */
const LOCK_NOT_AVAILABLE = '55P03';

/** PostgreSQL's quoting of an identifier ("user" is a reserved word there). */
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function pgColumns(client: PoolClient, table: string): Promise<PgColumn[]> {
  const r = await client.query<{
    column_name: string;
    data_type: string;
    is_nullable: 'YES' | 'NO';
    column_default: string | null;
    is_identity: 'YES' | 'NO';
  }>(
    `SELECT column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return r.rows.map((c) => ({
    name: c.column_name,
    type: c.data_type,
    optional: c.is_nullable === 'YES' || c.column_default !== null || c.is_identity === 'YES',
    identity: c.is_identity === 'YES',
  }));
}

/** A table's plan: the columns both sides have, and those only PostgreSQL has. */
interface Plan {
  table: string;
  inSource: boolean;
  columns: PgColumn[];
  filled: string[];
}

/**
 * Matches the SQLite tables and columns against PostgreSQL's. Refuses anything the copy would lose:
 * a SQLite table it does not copy, a SQLite column PostgreSQL lacks, or a required PostgreSQL
 * column the SQLite table cannot fill.
 */
async function plan(client: PoolClient, source: SqliteSource): Promise<Plan[]> {
  const known = new Set<string>(COPIED_TABLES);
  const unknown = source.tables().filter((t) => !known.has(t));
  if (unknown.length)
    throw new CopyRefusedError(
      `${source.file} has table(s) this version does not copy: ${unknown.join(', ')} ` +
        '(is the database from a newer server?); nothing written',
    );
  const present = new Set(source.tables());
  const plans: Plan[] = [];
  for (const table of COPIED_TABLES) {
    const pgCols = await pgColumns(client, table);
    if (!pgCols.length)
      throw new CopyRefusedError(
        `PostgreSQL has no table ${table}: the schema is not migrated; nothing written`,
      );
    if (!present.has(table)) {
      plans.push({ table, inSource: false, columns: [], filled: [] });
      continue;
    }
    const sqliteCols = source.columns(table);
    const byName = new Map(pgCols.map((c) => [c.name, c]));
    const lost = sqliteCols.filter((c) => !byName.has(c));
    if (lost.length)
      throw new CopyRefusedError(
        `column mismatch: SQLite table ${table} has column(s) ${lost.join(', ')} that the PostgreSQL ` +
          `table lacks (PostgreSQL has ${pgCols.map((c) => c.name).join(', ')}); nothing written`,
      );
    const inSqlite = new Set(sqliteCols);
    const missing = pgCols.filter((c) => !inSqlite.has(c.name));
    const required = missing.filter((c) => !c.optional).map((c) => c.name);
    if (required.length)
      throw new CopyRefusedError(
        `column mismatch: PostgreSQL table ${table} requires column(s) ${required.join(', ')} that ` +
          `SQLite table ${table} lacks; nothing written`,
      );
    plans.push({
      table,
      inSource: true,
      columns: sqliteCols.map((c) => byName.get(c) as PgColumn),
      filled: missing.map((c) => c.name),
    });
  }
  return plans;
}

async function insertBatch(client: PoolClient, p: Plan, rows: unknown[][]): Promise<void> {
  const cols = p.columns.map((c) => ident(c.name)).join(', ');
  const n = p.columns.length;
  const values = rows.map((_, i) => `(${p.columns.map((_, j) => `$${i * n + j + 1}`).join(', ')})`);
  await client.query(`INSERT INTO ${ident(p.table)} (${cols}) VALUES ${values.join(', ')}`, rows.flat());
}

function sizeOf(v: unknown): number {
  if (Buffer.isBuffer(v)) return v.length;
  if (typeof v === 'string') return v.length;
  return 8;
}

/** Copies one table in batches; returns the rows copied. */
async function copyTable(client: PoolClient, source: SqliteSource, p: Plan): Promise<number> {
  const maxRows = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / p.columns.length)));
  let batch: unknown[][] = [];
  let bytes = 0;
  let copied = 0;
  const flush = async () => {
    if (!batch.length) return;
    try {
      await insertBatch(client, p, batch);
    } catch (err) {
      throw new CopyRefusedError(
        `PostgreSQL refused a row of ${p.table} (rows ${copied + 1} to ${copied + batch.length}): ` +
          `${(err as Error).message}; nothing written`,
      );
    }
    copied += batch.length;
    batch = [];
    bytes = 0;
  };
  for (const row of source.rows(
    p.table,
    p.columns.map((c) => c.name),
  )) {
    const converted = row.map((v: SqliteValue, i) => {
      try {
        return convertValue(v, p.columns[i]);
      } catch (err) {
        throw new CopyRefusedError(
          `${p.table} row ${copied + batch.length + 1}, column ${p.columns[i].name}: ${(err as Error).message}; nothing written`,
        );
      }
    });
    batch.push(converted);
    bytes += converted.reduce<number>((a, v) => a + sizeOf(v), 0);
    if (batch.length >= maxRows || bytes >= MAX_BATCH_BYTES) await flush();
  }
  await flush();
  return copied;
}

/**
 * Moves the identity sequences past the copied ids (and past ids SQLite's AUTOINCREMENT handed
 * out to rows since deleted, which it never reuses), so the next insert does not collide.
 */
async function advanceIdentities(client: PoolClient, source: SqliteSource, p: Plan): Promise<void> {
  for (const c of p.columns.filter((col) => col.identity)) {
    const max = await client.query<{ m: string | null }>(
      `SELECT max(${ident(c.name)})::text AS m FROM ${ident(p.table)}`,
    );
    const top = [BigInt(max.rows[0]?.m ?? 0), source.autoincrementSeq(p.table)].reduce((a, b) =>
      a > b ? a : b,
    );
    if (top < 1n) continue;
    await client.query('SELECT setval(pg_get_serial_sequence($1, $2), $3)', [
      ident(p.table),
      c.name,
      top.toString(),
    ]);
  }
}

/**
 * Copies every row of the SQLite database in `dir` into PostgreSQL, in one PostgreSQL transaction
 * (all or nothing), from one SQLite snapshot opened read-only. The schema must be migrated first.
 * Refuses, writing nothing, when a target table already holds rows, unless `replace`: then they
 * are emptied inside the same transaction. Target tables are locked for the copy, so a running
 * node can neither write between the check and the copy nor see half of it.
 */
export async function copyFromSqlite(
  pool: Pool,
  dir: string,
  opts: { replace?: boolean; lockTimeoutMs?: number } = {},
): Promise<CopyReport> {
  const source = openSqliteSource(dir);
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const report = await copyInTransaction(
          client,
          source,
          opts.replace === true,
          opts.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
        );
        await client.query('COMMIT');
        return report;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      client.release();
    }
  } finally {
    source.close();
  }
}

async function copyInTransaction(
  client: PoolClient,
  source: SqliteSource,
  replace: boolean,
  lockTimeoutMs: number,
): Promise<CopyReport> {
  const plans = await plan(client, source);
  const all = COPIED_TABLES.map(ident).join(', ');
  // A node running on this database holds these tables: fail after a while rather than hang.
  await client.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.round(lockTimeoutMs))}ms'`);
  try {
    await client.query(`LOCK TABLE ${all} IN ACCESS EXCLUSIVE MODE`);
  } catch (err) {
    if ((err as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw err;
    throw new CopyRefusedError(
      `the PostgreSQL tables stayed in use for ${lockTimeoutMs / 1000} s (is a server running on this database?); nothing written`,
    );
  }
  // Held now: nothing later in the copy waits on anyone, and a slow copy must not time out.
  await client.query('SET LOCAL lock_timeout = 0');
  const occupied: string[] = [];
  for (const table of COPIED_TABLES) {
    const r = await client.query(`SELECT 1 FROM ${ident(table)} LIMIT 1`);
    if (r.rowCount) occupied.push(table);
  }
  if (occupied.length && !replace)
    throw new CopyRefusedError(
      `the PostgreSQL database already holds rows in ${occupied.join(', ')}: nothing written ` +
        '(--replace empties these tables first, in the same transaction)',
    );
  if (occupied.length) await client.query(`TRUNCATE ${all} RESTART IDENTITY`);
  const tables: TableReport[] = [];
  for (const p of plans) {
    const rows = p.inSource ? await copyTable(client, source, p) : 0;
    if (p.inSource) await advanceIdentities(client, source, p);
    tables.push({ table: p.table, rows, inSource: p.inSource, filled: p.filled });
  }
  return { file: source.file, tables, replaced: occupied.length > 0 };
}
