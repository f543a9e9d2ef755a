/**
 * `npm run db -- COMMAND ...`: the PostgreSQL schema (migrate, status) and the one-time move of a
 * server's SQLite database into PostgreSQL (migrate-sqlite). Exit status: 0 done, 1 refused or
 * failed, 2 usage error. Every error is one line on standard error.
 */

import { parseArgs } from 'node:util';
import pg from 'pg';
import { COPIED_TABLES, type CopyReport, copyFromSqlite } from '../store/pg/copyFromSqlite';
import { type MigrateResult, migrate } from '../store/pg/migrate';
import { MIGRATIONS } from '../store/pg/migrations';
import { schemaStatus } from '../store/pg/schemaStatus';
import { openSqliteSource } from '../store/pg/sqliteSource';

const USAGE = `Usage: npm run db -- COMMAND [options]

  migrate                  apply the pending schema migrations
  status                   show the schema version, the newest this code knows, and what is pending
  migrate-sqlite --from DIR [--replace]
                           migrate, then copy every row of the server's SQLite database in DIR (its
                           --data directory) into PostgreSQL, in one transaction; refuses when the
                           tables already hold rows, unless --replace (empties them first)

Options:
  --database URL           postgres://USER:PASSWORD@HOST:PORT/DATABASE (env DATABASE_URL)
  --from DIR               the SQLite data directory to copy (migrate-sqlite only; opened read-only)
  --replace                empty the target tables first, in the same transaction (migrate-sqlite only)
  --help                   this text`;

/** A connection attempt gives up after this long, ms. */
const CONNECT_TIMEOUT_MS = 10_000;

class UsageError extends Error {}

type Command = 'migrate' | 'status' | 'migrate-sqlite';
const COMMANDS: readonly Command[] = ['migrate', 'status', 'migrate-sqlite'];

interface Parsed {
  command: Command;
  database: string;
  from?: string;
  replace: boolean;
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Parsed | 'help' {
  const options = {
    database: { type: 'string' },
    from: { type: 'string' },
    replace: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError('no command given');
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"`);
  if (rest.length) throw new UsageError(`"${command}" takes no arguments (got "${rest.join(' ')}")`);
  if (command !== 'migrate-sqlite' && values.from !== undefined)
    throw new UsageError('--from is only for "migrate-sqlite"');
  if (command !== 'migrate-sqlite' && values.replace)
    throw new UsageError('--replace is only for "migrate-sqlite"');
  if (command === 'migrate-sqlite' && !values.from) throw new UsageError('"migrate-sqlite" needs --from DIR');
  const database = values.database ?? env.DATABASE_URL ?? '';
  if (!database) throw new UsageError('no database: pass --database URL or set DATABASE_URL');
  if (!/^postgres(ql)?:\/\//.test(database))
    throw new UsageError('--database must be a postgres:// or postgresql:// URL');
  try {
    new URL(database);
  } catch {
    throw new UsageError('--database is not a valid URL');
  }
  return { command: command as Command, database, from: values.from, replace: values.replace === true };
}

/** The URL without its password, for messages. */
function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
}

function printMigrate(r: MigrateResult): void {
  for (const v of r.applied) {
    const m = MIGRATIONS.find((x) => x.version === v);
    console.log(`Applied migration ${v}${m ? ` (${m.name})` : ''}.`);
  }
  if (!r.applied.length) console.log('No migration pending.');
  console.log(`Schema version: ${r.version}.`);
}

function printCopy(r: CopyReport, dir: string): void {
  console.log(`Copied from ${r.file}${r.replaced ? ' (the tables were emptied first: --replace)' : ''}:`);
  const width = Math.max(...COPIED_TABLES.map((t) => t.length));
  for (const t of r.tables) {
    const note = t.inSource ? '' : '  (not in the SQLite file: that part of the server never ran)';
    console.log(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(9)}${note}`);
    if (t.filled.length)
      console.log(`  ${''.padEnd(width)}  ${t.filled.join(', ')}: not in the SQLite file, left empty`);
  }
  console.log(
    `Recordings (frames, alarm marks, bookmarks) are rows of the SQLite database and were copied. ` +
      `Other files in ${dir} (such as pki/) are not: copy or share them to every node as files.`,
  );
}

async function run(p: Parsed, pool: pg.Pool): Promise<number> {
  switch (p.command) {
    case 'migrate':
      printMigrate(await migrate(pool));
      return 0;
    case 'status': {
      const s = await schemaStatus(pool);
      console.log(`Schema version: ${s.version}.`);
      console.log(`Newest version this code knows: ${s.latest}.`);
      if (s.version > s.latest) {
        console.error(
          `Error: the database schema (version ${s.version}) is newer than this code (version ${s.latest}): upgrade it`,
        );
        return 1;
      }
      if (!s.pending.length) console.log('Pending: none.');
      else console.log(`Pending: ${s.pending.map((m) => `${m.version} (${m.name})`).join(', ')}.`);
      return 0;
    }
    case 'migrate-sqlite': {
      // The source is checked before the schema is touched: a wrong --from changes nothing anywhere.
      openSqliteSource(p.from as string).close();
      printMigrate(await migrate(pool));
      printCopy(await copyFromSqlite(pool, p.from as string, { replace: p.replace }), p.from as string);
      return 0;
    }
  }
}

/** One line for a runtime error; connection failures name the server (never the password). */
function describeError(err: unknown, database: string): string {
  const e = err as Error & { code?: string };
  const message = (e?.message ?? String(err)).split('\n')[0];
  const network = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET'];
  if (
    (e?.code && network.includes(e.code)) ||
    /^Connection terminated|timeout exceeded when trying to connect/.test(message)
  )
    return `cannot reach the database at ${where(database)}: ${message || e.code}`;
  return message || e?.code || 'unknown error';
}

async function main(): Promise<number> {
  let p: Parsed | 'help';
  try {
    p = parse(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`Error: ${(err as Error).message} (npm run db -- --help shows the usage)`);
    return 2;
  }
  if (p === 'help') {
    console.log(USAGE);
    return 0;
  }
  const pool = new pg.Pool({
    connectionString: p.database,
    max: 2,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle connection that drops must not crash the process with a stack trace.
  pool.on('error', () => {});
  try {
    return await run(p, pool);
  } catch (err) {
    console.error(`Error: ${describeError(err, p.database)}`);
    return 1;
  } finally {
    await pool.end().catch(() => {});
  }
}

process.exitCode = await main();
