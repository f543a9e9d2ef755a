import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from './alarmStore';

/** One publication of a layout to the live plant. Times: wall ms since epoch. */
export interface Publication {
  /** 1, 2, 3... in the order they happened. */
  seq: number;
  /** A design version id, or BASE_PLANT_VERSION (a rollback to the plant file). */
  versionId: string;
  /** The draft the version was saved from (null for BASE_PLANT_VERSION). */
  designId: string | null;
  /** The version's message when it was published (or the plant file's path). */
  message: string;
  publishedBy: string;
  publishedAt: number;
  /** Published again from the list of published versions (a rollback), not from design mode. */
  rollback: boolean;
}

/** What has been published to the live plant, newest last; rows are only ever added. */
export interface PublishStore {
  /** Every publication, oldest first. */
  list(): Publication[];
  /** The newest publication (the layout the live plant runs), or null when none was made. */
  latest(): Publication | null;
  add(p: Omit<Publication, 'seq'>): Publication;
  close(): void;
}

/** Waits this long for another connection's write lock before failing, ms. */
const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plant_publications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version_id TEXT NOT NULL,
  design_id TEXT,
  message TEXT NOT NULL,
  published_by TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  rollback INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS plant_publications_no_update BEFORE UPDATE ON plant_publications
  BEGIN SELECT RAISE(ABORT, 'plant publications are history'); END;
`;

interface Row {
  id: number;
  version_id: string;
  design_id: string | null;
  message: string;
  published_by: string;
  published_at: number;
  rollback: number;
}

const toPublication = (r: Row): Publication => ({
  seq: r.id,
  versionId: r.version_id,
  designId: r.design_id,
  message: r.message,
  publishedBy: r.published_by,
  publishedAt: r.published_at,
  rollback: r.rollback === 1,
});

const SELECT =
  'SELECT id, version_id, design_id, message, published_by, published_at, rollback FROM plant_publications';

/**
 * Opens the publications table in `dataDir`'s database (its own connection; ':memory:' for none).
 * synchronous=FULL: a publication is answered as stored, and the next start runs what it names.
 * Like the design tables, the table is made at the first publication, so a server that never
 * published leaves the database as it was.
 */
export function openPublishStore(dataDir: string): PublishStore {
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, DB_FILE), { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = FULL');
  } catch (err) {
    db.close();
    throw err;
  }
  const exists = () =>
    (db
      .prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'plant_publications'",
      )
      .get()?.n ?? 0) > 0;
  let made = exists();
  return {
    list: () => (made ? db.prepare<[], Row>(`${SELECT} ORDER BY id`).all().map(toPublication) : []),
    latest() {
      const r = made ? db.prepare<[], Row>(`${SELECT} ORDER BY id DESC LIMIT 1`).get() : undefined;
      return r ? toPublication(r) : null;
    },
    add(p) {
      if (!made) {
        db.exec(SCHEMA);
        made = true;
      }
      const info = db
        .prepare(
          `INSERT INTO plant_publications (version_id, design_id, message, published_by, published_at, rollback)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(p.versionId, p.designId, p.message, p.publishedBy, p.publishedAt, p.rollback ? 1 : 0);
      return { ...p, seq: Number(info.lastInsertRowid) };
    },
    close() {
      db.close();
    },
  };
}
