import type { Pool } from 'pg';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * Advisory lock key for migrations (an arbitrary constant: "PTMIGRAT" in ASCII). Every node
 * takes it inside its migration transaction, so nodes starting at once migrate one after another
 * and each later one finds nothing left to do.
 */
const MIGRATE_LOCK = 0x50544d4947524154n;

/** The database's schema is newer than this code: running on it could corrupt data. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `the database schema is at version ${databaseVersion} but this server knows versions up to ` +
        `${codeVersion} only: upgrade the server (or point it at another database); refusing to start`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** What `migrate` did. */
export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was current). */
  applied: number[];
  /** The schema version after the call. */
  version: number;
}

/**
 * Brings the database to the newest schema this code knows: every pending migration in one
 * transaction (all or nothing), under a transaction-scoped advisory lock. Throws
 * SchemaTooNewError, changing nothing, when the database has a version the code does not know.
 * `now` stamps applied_at (ms since epoch).
 */
export async function migrate(
  pool: Pool,
  opts: { migrations?: readonly Migration[]; now?: () => number } = {},
): Promise<MigrateResult> {
  const migrations = [...(opts.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const now = opts.now ?? Date.now;
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK.toString()]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )`);
      const rows = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(rows.rows.map((r) => r.version));
      const current = Math.max(0, ...done);
      if (current > latest) throw new SchemaTooNewError(current, latest);
      const applied: number[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          now(),
        ]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
      return { applied, version: Math.max(current, latest) };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  } finally {
    client.release();
  }
}
