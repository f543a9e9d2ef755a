import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DesignSummary, DesignVersion } from '../../protocol';
import { DB_FILE } from './alarmStore';

/** A new draft. Times: wall ms since epoch. */
export interface NewDesign {
  id: string;
  name: string;
  createdBy: string;
  createdAt: number;
  /** 'live' or the version id it was copied from. */
  basedOn: string;
  /** The layout as JSON text (kept exactly as given, valid or not). */
  layoutJson: string;
}

/**
 * Design drafts and their versions. Versions are immutable: there is no method to change or
 * remove one, and the table refuses UPDATE and DELETE (triggers), so a bug cannot rewrite history.
 */
export interface DesignStore {
  /** Every draft, most recently changed first. */
  list(): DesignSummary[];
  get(id: string): DesignSummary | null;
  /** The draft's layout as JSON text, or null when there is no such draft. */
  layoutJson(id: string): string | null;
  create(d: NewDesign): DesignSummary;
  /** Replaces the draft's layout; false when there is no such draft. */
  setLayout(id: string, layoutJson: string, at: number): boolean;
  /** The draft's live-editing doc (a Yjs update of its whole state), or null: none saved yet. */
  docState(id: string): Uint8Array | null;
  /**
   * Stores the draft's live-editing doc and the layout it gives, together (one statement);
   * false when there is no such draft.
   */
  setDocState(id: string, state: Uint8Array, layoutJson: string, at: number): boolean;
  /** Saves the draft's current layout as a version (one statement); null when there is no such draft. */
  addVersion(v: DesignVersion): DesignVersion | null;
  /** The draft's versions, oldest first. */
  versions(designId: string): DesignVersion[];
  version(id: string): DesignVersion | null;
  /** The version's layout as JSON text, or null when there is no such version. */
  versionLayoutJson(id: string): string | null;
  close(): void;
}

/** Waits this long for another connection's write lock before failing, ms. */
const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS design_drafts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  based_on TEXT NOT NULL,
  layout TEXT NOT NULL,
  ydoc BLOB
);
CREATE TABLE IF NOT EXISTS design_versions (
  id TEXT PRIMARY KEY,
  design_id TEXT NOT NULL REFERENCES design_drafts(id),
  message TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  layout TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS design_versions_design ON design_versions (design_id, created_at);
CREATE TRIGGER IF NOT EXISTS design_versions_no_update BEFORE UPDATE ON design_versions
  BEGIN SELECT RAISE(ABORT, 'design versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS design_versions_no_delete BEFORE DELETE ON design_versions
  BEGIN SELECT RAISE(ABORT, 'design versions are immutable'); END;
`;

interface DraftRow {
  id: string;
  name: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  based_on: string;
  versions: number;
}
interface VersionRow {
  id: string;
  design_id: string;
  message: string;
  author: string;
  created_at: number;
}

const toSummary = (r: DraftRow): DesignSummary => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  basedOn: r.based_on,
  versions: r.versions,
});
const toVersion = (r: VersionRow): DesignVersion => ({
  id: r.id,
  designId: r.design_id,
  message: r.message,
  author: r.author,
  createdAt: r.created_at,
});

const DRAFT_SQL = `SELECT d.id, d.name, d.created_by, d.created_at, d.updated_at, d.based_on,
  (SELECT COUNT(*) FROM design_versions v WHERE v.design_id = d.id) AS versions FROM design_drafts d`;
const VERSION_SQL = 'SELECT id, design_id, message, author, created_at FROM design_versions';

function prepare(db: Database.Database) {
  return {
    list: db.prepare<[], DraftRow>(`${DRAFT_SQL} ORDER BY d.updated_at DESC, d.id`),
    get: db.prepare<[string], DraftRow>(`${DRAFT_SQL} WHERE d.id = ?`),
    layout: db.prepare<[string], { layout: string }>('SELECT layout FROM design_drafts WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO design_drafts (id, name, created_by, created_at, updated_at, based_on, layout)
       VALUES (@id, @name, @createdBy, @createdAt, @createdAt, @basedOn, @layoutJson)`,
    ),
    // A layout written whole (not through live editing) makes the doc stale: it is rebuilt from it.
    setLayout: db.prepare('UPDATE design_drafts SET layout = ?, ydoc = NULL, updated_at = ? WHERE id = ?'),
    docState: db.prepare<[string], { ydoc: Buffer | null }>('SELECT ydoc FROM design_drafts WHERE id = ?'),
    setDocState: db.prepare('UPDATE design_drafts SET ydoc = ?, layout = ?, updated_at = ? WHERE id = ?'),
    // The version copies the draft's layout inside the same statement: no edit can slip in between.
    addVersion: db.prepare(
      `INSERT INTO design_versions (id, design_id, message, author, created_at, layout)
       SELECT @id, id, @message, @author, @createdAt, layout FROM design_drafts WHERE id = @designId`,
    ),
    versions: db.prepare<[string], VersionRow>(
      `${VERSION_SQL} WHERE design_id = ? ORDER BY created_at, rowid`,
    ),
    version: db.prepare<[string], VersionRow>(`${VERSION_SQL} WHERE id = ?`),
    versionLayout: db.prepare<[string], { layout: string }>(
      'SELECT layout FROM design_versions WHERE id = ?',
    ),
  };
}

/**
 * Opens the design tables in `dataDir`'s database (the same file as the other stores, its own
 * connection), or an in-memory database for ':memory:'. synchronous=FULL: a saved draft or version
 * is someone's work, answered as stored.
 *
 * The tables are made at the first write, not at open: a plant that never used design mode keeps
 * its database as a server without design mode left it (an older server can still open it). Reads
 * before that answer nothing.
 */
export function openDesignStore(dataDir: string): DesignStore {
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
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw err;
  }
  const exists = db.prepare<[], { n: number }>(
    "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'design_drafts'",
  );
  let q: ReturnType<typeof prepare> | null = null;
  /** The statements, once the tables exist (made now when `create`); null: none yet. */
  const stmts = (create: boolean): ReturnType<typeof prepare> | null => {
    if (q) return q;
    if (!create && (exists.get()?.n ?? 0) === 0) return null;
    db.exec(SCHEMA);
    // Databases from before live editing: the drafts table gains the doc column (null: built
    // from the layout on first open).
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(design_drafts)').all();
    if (!columns.some((c) => c.name === 'ydoc')) db.exec('ALTER TABLE design_drafts ADD COLUMN ydoc BLOB');
    q = prepare(db);
    return q;
  };
  const must = () => stmts(true) as ReturnType<typeof prepare>;

  return {
    list: () => stmts(false)?.list.all().map(toSummary) ?? [],
    get(id) {
      const r = stmts(false)?.get.get(id);
      return r ? toSummary(r) : null;
    },
    layoutJson: (id) => stmts(false)?.layout.get(id)?.layout ?? null,
    create(d) {
      const s = must();
      s.insert.run(d);
      return toSummary(s.get.get(d.id) as DraftRow);
    },
    setLayout: (id, layoutJson, at) => (stmts(false)?.setLayout.run(layoutJson, at, id).changes ?? 0) > 0,
    docState(id) {
      const b = stmts(false)?.docState.get(id)?.ydoc;
      return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null;
    },
    setDocState: (id, state, layoutJson, at) =>
      (stmts(false)?.setDocState.run(
        Buffer.from(state.buffer, state.byteOffset, state.byteLength),
        layoutJson,
        at,
        id,
      ).changes ?? 0) > 0,
    addVersion(v) {
      const s = stmts(false);
      if (!s || s.addVersion.run(v).changes === 0) return null;
      const r = s.version.get(v.id);
      return r ? toVersion(r) : null;
    },
    versions: (designId) => stmts(false)?.versions.all(designId).map(toVersion) ?? [],
    version(id) {
      const r = stmts(false)?.version.get(id);
      return r ? toVersion(r) : null;
    },
    versionLayoutJson: (id) => stmts(false)?.versionLayout.get(id)?.layout ?? null,
    close() {
      db.close();
    },
  };
}
