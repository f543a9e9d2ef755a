import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { migrate } from '../../server/store/pg/migrate';
import { hasPostgres, startPostgres, type TestPostgres } from './postgres';

/** Why the PostgreSQL half of a suite did not run, when it did not. */
const NO_POSTGRES =
  'skipped: no PostgreSQL server binaries (initdb, postgres) on PATH or in /usr/lib/postgresql — ' +
  'install the postgresql package (.ci/run does) or set PLANT_TWIN_TEST_DATABASE';

/**
 * Fresh storage for each test of a behaviour suite, on either engine: a temp dir for SQLite, a new
 * migrated database on one throwaway PostgreSQL server per file. Everything a test got is closed
 * or removed after it (stores first, through `onCleanup`), the server after the file.
 */
export function storeEnv() {
  let server: TestPostgres | undefined;
  const dirs: string[] = [];
  const pools: pg.Pool[] = [];
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    if (hasPostgres) server = await startPostgres();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await Promise.all(pools.splice(0).map((p) => p.end()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    /** An empty directory for a SQLite database. */
    sqliteDir(): string {
      const d = mkdtempSync(join(tmpdir(), 'plant-store-'));
      dirs.push(d);
      return d;
    },
    /** A pool on a new database, migrated to the newest schema unless `migrated` is false. */
    async pgPool(opts: { migrated?: boolean } = {}): Promise<pg.Pool> {
      if (!server) throw new Error('no PostgreSQL server for this file');
      const pool = new pg.Pool({ connectionString: await server.createDatabase(), max: 4 });
      pools.push(pool);
      if (opts.migrated !== false) await migrate(pool);
      return pool;
    },
    /** Runs `fn` after the test (before pools end and dirs go), last registered first. */
    onCleanup(fn: () => unknown): void {
      cleanups.push(fn);
    },
  };
}

/** The engines a store suite runs on. */
export type EngineName = 'SQLite' | 'PostgreSQL';

/**
 * `describe.each` over engines: `title` may hold `$name`. The PostgreSQL suite is skipped, with
 * the reason in its title and on stderr, only when there is no PostgreSQL to start.
 */
export function describeEngines<E extends { name: EngineName }>(
  title: string,
  engines: readonly E[],
  body: (engine: E) => void,
): void {
  const ready = engines.filter((e) => e.name !== 'PostgreSQL' || hasPostgres);
  if (ready.length) describe.each(ready)(title, body);
  for (const e of engines.filter((x) => !ready.includes(x))) {
    const named = title.replace('$name', e.name);
    console.warn(`${named}: ${NO_POSTGRES}`);
    describe.skip(`${named} (${NO_POSTGRES})`, () => body(e));
  }
}
