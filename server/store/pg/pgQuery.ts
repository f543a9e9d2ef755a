import pg, { type CustomTypesConfig, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { SchemaTooNewError } from './migrate';
import { schemaStatus } from './schemaStatus';

/** A pool or one checked-out connection (inside a transaction): what the stores' SQL runs on. */
export type Queryable = Pool | PoolClient;

/** PostgreSQL's type oid for BIGINT (int8). */
const INT8_OID = 20;

/**
 * BIGINT read back as a JS number rather than node-postgres' default string: the stores' BIGINT
 * columns are ms times, ids, seqs, ticks and byte counts, all far below 2^53. Set per query, not
 * on the global `pg.types`, so other users of the library keep its defaults.
 */
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as CustomTypesConfig['getTypeParser'],
};

/**
 * Runs one parameterised statement; BIGINT columns come back as numbers. Every string parameter
 * goes through pgText: a U+0000 from a client is stored (and looked up) as U+FFFD, never an error.
 */
export async function sql<R extends QueryResultRow = QueryResultRow>(
  q: Queryable,
  text: string,
  values: readonly unknown[] = [],
): Promise<{ rows: R[]; rowCount: number }> {
  const params = values.map((v) => (typeof v === 'string' ? pgText(v) : v));
  const r = await q.query<R>({ text, values: params, types: TYPES });
  return { rows: r.rows, rowCount: r.rowCount ?? 0 };
}

/**
 * Runs `fn` in one transaction on one connection of the pool: COMMIT when it resolves, ROLLBACK
 * (and rethrow) when it throws. `lockKey`, when given, is taken as a transaction-scoped advisory
 * lock right after BEGIN, so transactions with the same key run one after another (as SQLite's
 * BEGIN IMMEDIATE serialises writers): a check-then-write inside stays true until the commit.
 */
export async function transaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  lockKey?: bigint,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      if (lockKey !== undefined) await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey.toString()]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is unusable: do not hand it back to the pool
      });
      throw e;
    }
  } finally {
    client.release(broken);
  }
}

/**
 * Text as PostgreSQL can store it: it refuses U+0000 in any text value (SQLite keeps it), so a
 * NUL becomes U+FFFD, the replacement character. For what clients send that must still be stored
 * (the audit records refusals of exactly such input); null stays null.
 */
export function pgText<T extends string | null>(s: T): T {
  return (s === null || !s.includes('\u0000') ? s : s.replaceAll('\u0000', '\uFFFD')) as T;
}

/**
 * JSON text for a JSONB column: JSONB refuses the escape \u0000 as text refuses the character, so
 * every NUL inside a string becomes U+FFFD (see pgText).
 */
export function pgJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'string' ? pgText(v) : v));
}

/**
 * Refuses a database whose schema is not the one this code was written for: behind (run `npm run
 * db -- migrate`) or ahead (SchemaTooNewError: upgrade the server). The stores' SQL assumes it.
 */
export async function requireCurrentSchema(pool: Pool): Promise<void> {
  const s = await schemaStatus(pool);
  if (s.version > s.latest) throw new SchemaTooNewError(s.version, s.latest);
  if (s.pending.length > 0)
    throw new Error(
      `the PostgreSQL database's schema is at version ${s.version}, this server needs version ${s.latest}: ` +
        'run `npm run db -- migrate` first',
    );
}
