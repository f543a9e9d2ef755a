import type { Pool } from 'pg';
import { MIGRATIONS, type Migration } from './migrations';

/** Where a database's schema stands against this code's migrations. */
export interface SchemaStatus {
  /** The database's newest applied version (0: never migrated). */
  version: number;
  /** The newest version this code knows. */
  latest: number;
  /** Migrations this code would apply, oldest first. */
  pending: Migration[];
}

/** Reads the applied versions; changes nothing (no schema_migrations table: version 0). */
export async function schemaStatus(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<SchemaStatus> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  const done = new Set<number>();
  if (exists.rows[0]?.t) {
    const rows = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    for (const r of rows.rows) done.add(r.version);
  }
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  return {
    version: Math.max(0, ...done),
    latest: sorted.at(-1)?.version ?? 0,
    pending: sorted.filter((m) => !done.has(m.version)),
  };
}
