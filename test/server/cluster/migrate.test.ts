import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, SchemaTooNewError } from '../../../server/store/pg/migrate';
import { MIGRATIONS, type Migration } from '../../../server/store/pg/migrations';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres';

/** Every table the SQLite stores have, plus the cluster's own. */
const TABLES = [
  'alarm_current',
  'alarm_journal',
  'audit',
  'auth_meta',
  'command_results',
  'design_drafts',
  'design_versions',
  'meta',
  'plant_owner',
  'plant_publications',
  'recording_bookmarks',
  'recording_chunks',
  'recording_marks',
  'recordings',
  'schema_migrations',
  'sessions',
  'users',
  'value_history',
];

const INDEXES = [
  'alarm_journal_at',
  'alarm_journal_equipment',
  'audit_action',
  'audit_at',
  'audit_command',
  'audit_target',
  'audit_user',
  'command_results_at',
  'design_versions_design',
  'recording_bookmarks_sim',
  'recording_chunks_sim',
  'recording_marks_sim',
  'sessions_expires',
  'sessions_user',
  'value_history_rx',
  'value_history_signal',
];

describe.skipIf(!hasPostgres)('PostgreSQL migrations', () => {
  let server: TestPostgres;
  const pools: pg.Pool[] = [];
  const poolFor = (url: string) => {
    const p = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(p);
    return p;
  };

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
  });

  it('gives a fresh database every table and index of the SQLite stores', async () => {
    const pool = poolFor(await server.createDatabase());
    const result = await migrate(pool);
    expect(result).toEqual({
      applied: MIGRATIONS.map((m) => m.version),
      version: MIGRATIONS.at(-1)!.version,
    });
    const tables = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES);
    const indexes = await pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'",
    );
    expect(indexes.rows.map((r) => r.indexname).sort()).toEqual(INDEXES);
  });

  it('keeps user names case-insensitive as SQLite NOCASE does', async () => {
    const pool = poolFor(await server.createDatabase());
    await migrate(pool);
    await pool.query(
      "INSERT INTO users (name, role, hash, created_at, updated_at) VALUES ('Ada', 'admin', 'h', 1, 1)",
    );
    const found = await pool.query("SELECT name FROM users WHERE name = 'ADA'");
    expect(found.rows).toEqual([{ name: 'Ada' }]);
    await expect(
      pool.query(
        "INSERT INTO users (name, role, hash, created_at, updated_at) VALUES ('ada', 'viewer', 'h', 1, 1)",
      ),
    ).rejects.toThrow(/duplicate key/);
  });

  it('does nothing on a second run', async () => {
    const pool = poolFor(await server.createDatabase());
    await migrate(pool);
    const before = await pool.query(
      'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
    );
    const again = await migrate(pool);
    expect(again.applied).toEqual([]);
    const after = await pool.query(
      'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('applies each version exactly once when three pools migrate at the same time', async () => {
    const url = await server.createDatabase();
    // A second migration that counts its own runs: applied twice, the count would show it.
    const counted: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.at(-1)!.version + 1,
        name: 'run counter',
        sql: 'CREATE TABLE IF NOT EXISTS runs (n INTEGER); INSERT INTO runs VALUES (1);',
      },
    ];
    const results = await Promise.all([1, 2, 3].map(() => migrate(poolFor(url), { migrations: counted })));
    const applied = results.flatMap((r) => r.applied).sort((a, b) => a - b);
    expect(applied).toEqual(counted.map((m) => m.version));
    const pool = poolFor(url);
    expect((await pool.query('SELECT count(*)::int AS n FROM runs')).rows).toEqual([{ n: 1 }]);
    expect((await pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([
      { n: counted.length },
    ]);
  });

  it('refuses a database whose schema is newer than the code, with a clear message, changing nothing', async () => {
    const pool = poolFor(await server.createDatabase());
    await migrate(pool);
    const newer = MIGRATIONS.at(-1)!.version + 1;
    await pool.query(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', 0)",
      [newer],
    );
    const refused = migrate(pool, {
      migrations: [
        ...MIGRATIONS,
        { version: 0, name: 'pending but never applied', sql: 'CREATE TABLE never_made (x INT)' },
      ],
    });
    await expect(refused).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(migrate(pool)).rejects.toThrow(
      new RegExp(`schema is at version ${newer} but this server knows versions up to ${newer - 1} only`),
    );
    const made = await pool.query("SELECT to_regclass('never_made') AS t");
    expect(made.rows).toEqual([{ t: null }]);
  });
});
