import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../alarmStore';

/** Something is wrong with the SQLite side (missing, unreadable, not a database); names the path. */
export class SqliteSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqliteSourceError';
  }
}

/** A value as better-sqlite3 returns it with safe integers: INTEGER is a bigint, never rounded. */
export type SqliteValue = bigint | number | string | Buffer | null;

/** The server's SQLite database in a data directory, opened read-only for copying. */
export interface SqliteSource {
  /** The database file's path. */
  readonly file: string;
  /** Names of the user tables in the file (no sqlite_* tables). */
  tables(): string[];
  /** Column names of a table, in table order. */
  columns(table: string): string[];
  /** The table's rows, as arrays in the order of `columns`, in rowid order. */
  rows(table: string, columns: readonly string[]): IterableIterator<SqliteValue[]>;
  /** sqlite_sequence's value for an AUTOINCREMENT table (ids ever handed out), or 0. */
  autoincrementSeq(table: string): bigint;
  close(): void;
}

/** SQLite's own quoting of an identifier (double quotes, inner ones doubled). */
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The WAL companions of a database file; a read-only open creates them when absent. */
const COMPANIONS = ['-wal', '-shm'];

/** Opens a database read-only inside a read transaction whose first read has taken the snapshot. */
function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.exec('BEGIN');
    // The first read takes the snapshot and shows whether this is a database at all.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens `join(dir, DB_FILE)` read-only, in one read transaction, so every table is read from the
 * same snapshot. Throws SqliteSourceError naming the path when the directory or file is missing or
 * the file is not a readable SQLite database.
 *
 * A read-only connection to a WAL database still creates empty `-wal` and `-shm` files next to it
 * when they are absent (the main file is never written). `close()` removes those it created (and
 * only while the `-wal` is still empty), so the directory is left as it was, and no file owned by
 * the user who ran the copy stays behind to lock the server's own user out.
 */
export function openSqliteSource(dir: string): SqliteSource {
  if (!existsSync(dir)) throw new SqliteSourceError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new SqliteSourceError(`${dir}: not a directory`);
  const file = join(dir, DB_FILE);
  if (!existsSync(file))
    throw new SqliteSourceError(`${file}: no SQLite database here (is --from the server's data directory?)`);
  const absent = COMPANIONS.map((s) => `${file}${s}`).filter((p) => !existsSync(p));
  const cleanUp = () => {
    const wal = `${file}-wal`;
    if (absent.includes(wal) && existsSync(wal) && statSync(wal).size > 0) return; // someone wrote
    for (const p of absent) rmSync(p, { force: true });
  };
  let db: Database.Database;
  try {
    db = openReadOnly(file);
  } catch (err) {
    cleanUp();
    throw new SqliteSourceError(`${file}: cannot read it as a SQLite database (${(err as Error).message})`);
  }
  const tableNames = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((r) => r.name);
  const hasSequence =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get() !==
    undefined;
  const read = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new SqliteSourceError(`${file}: ${what}: ${(err as Error).message}`);
    }
  };
  return {
    file,
    tables: () => [...tableNames],
    columns: (table) =>
      read(`reading the columns of ${table}`, () =>
        db
          .prepare<[], { name: string }>(`PRAGMA table_info(${q(table)})`)
          .all()
          .map((c) => c.name),
      ),
    *rows(table, columns) {
      const stmt = read(`reading ${table}`, () =>
        db
          .prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ORDER BY rowid`)
          .raw(true)
          .safeIntegers(true),
      );
      const it = stmt.iterate() as IterableIterator<SqliteValue[]>;
      try {
        for (;;) {
          const next = read(`reading ${table}`, () => it.next());
          if (next.done) return;
          yield next.value;
        }
      } finally {
        // A copy that stops early must end the statement, or the connection stays busy and cannot close.
        it.return?.();
      }
    },
    autoincrementSeq(table) {
      if (!hasSequence) return 0n;
      const v = db
        .prepare('SELECT seq FROM sqlite_sequence WHERE name = ?')
        .pluck()
        .safeIntegers(true)
        .get(table);
      return typeof v === 'bigint' ? v : 0n;
    },
    close() {
      // Never throws: it runs in a finally, where it must not hide the error that got there.
      try {
        if (db.open) db.close();
      } catch {}
      cleanUp();
    },
  };
}
