import type { SqliteValue } from './sqliteSource';

/** A PostgreSQL column, as information_schema describes it. */
export interface PgColumn {
  name: string;
  /** information_schema's data_type: 'bigint', 'text', 'jsonb', 'double precision', 'bytea', ... */
  type: string;
  /** Nullable, defaulted or an identity: an older SQLite table may lack it. */
  optional: boolean;
  /** GENERATED ... AS IDENTITY: its sequence must be moved past the copied ids. */
  identity: boolean;
}

const INTEGER_TYPES = new Set(['bigint', 'integer', 'smallint']);
const FLOAT_TYPES = new Set(['double precision', 'real', 'numeric']);
const TEXT_TYPES = new Set(['text', 'character varying', 'character']);

/** A value for a message: its SQLite kind and the start of it. */
function describe(v: SqliteValue): string {
  if (Buffer.isBuffer(v)) return `a ${v.length}-byte BLOB`;
  if (typeof v === 'string') return `text "${v.slice(0, 40)}"`;
  return `${typeof v === 'bigint' ? 'integer' : 'real'} ${String(v)}`;
}

/**
 * One SQLite value as the parameter node-postgres should send for a column of `col.type`. SQLite
 * stores by value, not by column type (an INTEGER column may hold text), so the value's own kind
 * decides; anything that would change meaning on the way throws. Integers arrive as bigint
 * (better-sqlite3's safeIntegers) and go as decimal text, so a 64-bit ms time or id is never
 * rounded through a double.
 */
export function convertValue(v: SqliteValue, col: PgColumn): unknown {
  if (v === null) return null;
  if (INTEGER_TYPES.has(col.type)) {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && Number.isInteger(v)) return String(v);
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return v.trim();
    throw new Error(`${describe(v)} is not an integer`);
  }
  if (FLOAT_TYPES.has(col.type)) {
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    throw new Error(`${describe(v)} is not a number`);
  }
  if (col.type === 'boolean') {
    if (v === 0n || v === 0) return false;
    if (v === 1n || v === 1) return true;
    throw new Error(`${describe(v)} is not a boolean (0 or 1)`);
  }
  if (col.type === 'bytea') return Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
  if (col.type === 'jsonb' || col.type === 'json') {
    if (Buffer.isBuffer(v)) throw new Error(`${describe(v)} is not JSON text`);
    const text = String(v);
    try {
      JSON.parse(text);
    } catch {
      throw new Error(`"${text.slice(0, 40)}" is not valid JSON`);
    }
    return text;
  }
  if (TEXT_TYPES.has(col.type)) {
    if (Buffer.isBuffer(v)) throw new Error(`${describe(v)} where text is expected`);
    return String(v);
  }
  throw new Error(`PostgreSQL type ${col.type} has no conversion from SQLite`);
}
