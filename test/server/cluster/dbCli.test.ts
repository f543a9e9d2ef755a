import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SERVER_DIST } from '../../../server/paths';
import { DB_FILE } from '../../../server/store/alarmStore';
import { MIGRATIONS } from '../../../server/store/pg/migrations';
import { freePort } from '../../helpers/mosquitto';
import { fingerprint, makePlantDataDir } from '../../helpers/plantDataDir';
import { hasPostgres, startPostgres, type TestPostgres } from '../../helpers/postgres';
import { runTracked } from '../../helpers/processes';

const LATEST = MIGRATIONS.at(-1)!.version;
/** Each test starts several Node processes one after another: generous on a loaded machine, ms. */
const SLOW = 90_000;

/** Runs `npm run db -- ...args` as the real thing does (node dist/server/db.js); DATABASE_URL only when given. */
async function db(args: string[], env: Record<string, string> = {}) {
  const full = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete full.DATABASE_URL;
  const r = await runTracked(process.execPath, [join(SERVER_DIST, 'db.js'), ...args], {
    cwd: ROOT,
    env: full,
  });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** An error is one line on stderr, never a stack trace. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('npm run db: usage', { timeout: SLOW }, () => {
  it('prints the usage for --help and exits 0', async () => {
    const r = await db(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run db -- COMMAND');
    for (const c of [
      'migrate',
      'status',
      'migrate-sqlite --from DIR [--replace]',
      '--database URL',
      'DATABASE_URL',
    ])
      expect(r.stdout).toContain(c);
  });

  it('answers a usage error with one line on stderr and exit status 2', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/x';
    const cases: [string[], RegExp][] = [
      [[], /no command given/],
      [['frobnicate', '--database', url], /unknown command "frobnicate"/],
      [['status', '--colour', '--database', url], /Unknown option '--colour'/],
      [['status'], /no database: pass --database URL or set DATABASE_URL/],
      [['migrate', '--from', '/tmp', '--database', url], /--from is only for "migrate-sqlite"/],
      [['migrate', '--replace', '--database', url], /--replace is only for "migrate-sqlite"/],
      [['migrate-sqlite', '--database', url], /"migrate-sqlite" needs --from DIR/],
      [['status', '--database', 'mysql://x@host/db'], /must be a postgres:\/\/ or postgresql:\/\/ URL/],
      [['status', 'extra', '--database', url], /"status" takes no arguments/],
    ];
    // All at once: each is a Node start, slow on a loaded machine.
    const results = await Promise.all(cases.map(([args]) => db(args)));
    results.forEach((r, i) => {
      const [args, pattern] = cases[i];
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLine(r.stderr, pattern);
      expect(r.stdout).toBe('');
    });
  });

  it('fails with one line and exit status 1 when the database cannot be reached', async () => {
    const port = await freePort(); // nothing listens there
    const r = await db(['status'], { DATABASE_URL: `postgres://u:secret-pw@127.0.0.1:${port}/plant` });
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^Error: cannot reach the database at 127\\.0\\.0\\.1:${port}/plant`));
    expect(r.stderr).not.toContain('secret-pw');
  });
});

describe.skipIf(!hasPostgres)('npm run db against PostgreSQL', { timeout: SLOW }, () => {
  let server: TestPostgres;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('status shows every migration pending on a new database, migrate applies them, status then shows none', async () => {
    const url = await server.createDatabase();
    const before = await db(['status', '--database', url]);
    expect(before, before.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(before.stdout).toContain('Schema version: 0.');
    expect(before.stdout).toContain(`Newest version this code knows: ${LATEST}.`);
    expect(before.stdout).toContain(`Pending: 1 (${MIGRATIONS[0].name})`);

    // DATABASE_URL works as --database does.
    const applied = await db(['migrate'], { DATABASE_URL: url });
    expect(applied, applied.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(applied.stdout).toContain(`Applied migration 1 (${MIGRATIONS[0].name}).`);
    expect(applied.stdout).toContain(`Schema version: ${LATEST}.`);

    const again = await db(['migrate', '--database', url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No migration pending.');
    const after = await db(['status', '--database', url]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`Schema version: ${LATEST}.`);
    expect(after.stdout).toContain('Pending: none.');
  });

  it('refuses a schema newer than the code with one line and exit status 1', async () => {
    const url = await server.createDatabase();
    expect((await db(['migrate', '--database', url])).code).toBe(0);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await pool.query("INSERT INTO schema_migrations VALUES ($1, 'from the future', 0)", [LATEST + 1]);
    } finally {
      await pool.end();
    }
    const migrate = await db(['migrate', '--database', url]);
    expect(migrate.code).toBe(1);
    expectOneLine(
      migrate.stderr,
      /^Error: the database schema is at version \d+ but this server knows versions up to/,
    );
    const status = await db(['status', '--database', url]);
    expect(status.code).toBe(1);
    expectOneLine(status.stderr, /is newer than this code/);
  });

  it('migrate-sqlite copies a data dir and prints the rows per table; again it refuses, with --replace it copies', async () => {
    const dir = await makePlantDataDir();
    dirs.push(dir);
    const before = fingerprint(dir);
    const url = await server.createDatabase();
    const first = await db(['migrate-sqlite', '--from', dir, '--database', url]);
    expect(first, first.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Applied migration 1');
    expect(first.stdout).toContain(`Copied from ${join(dir, DB_FILE)}`);
    expect(first.stdout).toMatch(/^\s+users\s+2$/m);
    expect(first.stdout).toMatch(/^\s+recording_bookmarks\s+1$/m);
    expect(first.stdout).toMatch(/^\s+value_history\s+0\s+\(not in the SQLite file/m);
    expect(first.stdout).toContain(
      'Recordings (frames, alarm marks, bookmarks) are rows of the SQLite database',
    );

    const second = await db(['migrate-sqlite', '--from', dir, '--database', url]);
    expect(second.code).toBe(1);
    expectOneLine(second.stderr, /^Error: the PostgreSQL database already holds rows in .*--replace/);

    const replaced = await db(['migrate-sqlite', '--from', dir, '--replace', '--database', url]);
    expect(replaced, replaced.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(replaced.stdout).toContain('--replace');
    expect(replaced.stdout).toMatch(/^\s+users\s+2$/m);
    expect(fingerprint(dir)).toEqual(before);
  });

  it('migrate-sqlite on a directory without a database fails with one line naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-nodb-'));
    dirs.push(dir);
    const r = await db(['migrate-sqlite', '--from', dir, '--database', await server.createDatabase()]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^Error: ${join(dir, DB_FILE)}: no SQLite database here`));
  });
  it('migrate-sqlite on a garbage file fails with one line naming it, before it touches the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-garbage-'));
    dirs.push(dir);
    writeFileSync(join(dir, DB_FILE), 'not a database '.repeat(300));
    const url = await server.createDatabase();
    const r = await db(['migrate-sqlite', '--from', dir, '--database', url]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^Error: ${join(dir, DB_FILE)}: cannot read it as a SQLite database`));
    const status = await db(['status', '--database', url]);
    expect(status.stdout).toContain('Schema version: 0.');
  });
});
