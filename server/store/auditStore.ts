import type Database from 'better-sqlite3';
import type { AuditEntry, AuditQuery, AuditResult, Role } from '../../protocol';
import type { AuditInput, AuditLog } from '../auth/types';

/** The audit table and its indexes (created by openAuthStore). */
export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user TEXT NOT NULL,
  role TEXT,
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  params TEXT,
  result TEXT NOT NULL,
  code TEXT,
  message TEXT,
  command_id TEXT,
  reply TEXT
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE INDEX IF NOT EXISTS audit_user ON audit (user COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action);
CREATE INDEX IF NOT EXISTS audit_target ON audit (target);
CREATE INDEX IF NOT EXISTS audit_command ON audit (user, command_id);
`;

/** Keys whose values never reach the audit, at any depth (defence in depth: callers omit them too). */
const SECRET_KEY = /(^pass$|password$|passwd$|token$|secret$|confirmation$|authorization$)/i;
/** Longest params JSON kept, bytes; a bigger one is replaced by a note saying so. */
const MAX_PARAMS_BYTES = 8 * 1024;
/** Longest text columns kept, characters. */
const MAX_TEXT = 500;
const MAX_NAME = 200;

const clip = (s: string | null | undefined, max: number): string | null =>
  s === null || s === undefined ? null : s.length > max ? `${s.slice(0, max - 1)}…` : s;

/** Params as stored: secrets redacted, size capped, never throws (a cycle or a BigInt is noted). */
function paramsJson(params: Record<string, unknown> | null | undefined): string | null {
  if (params === null || params === undefined) return null;
  let text: string;
  try {
    text = JSON.stringify(params, (k, v) =>
      k && SECRET_KEY.test(k) ? '[redacted]' : typeof v === 'bigint' ? String(v) : v,
    );
  } catch {
    return JSON.stringify({ unserializable: true });
  }
  if (Buffer.byteLength(text) > MAX_PARAMS_BYTES)
    return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(text) });
  return text;
}

function replyJson(reply: unknown): string | null {
  if (reply === undefined) return null;
  try {
    return JSON.stringify(reply) ?? null;
  } catch {
    return null;
  }
}

/** An audit row as both engines read it back (params as stored text). */
export interface AuditRow {
  id: number;
  at: number;
  user: string;
  role: string | null;
  source: string;
  action: string;
  target: string | null;
  params: string | null;
  result: string;
  code: string | null;
  message: string | null;
}

export function toEntry(r: AuditRow): AuditEntry {
  let params: Record<string, unknown> | null = null;
  if (r.params !== null) {
    try {
      params = JSON.parse(r.params);
    } catch {
      params = { unreadable: true };
    }
  }
  return {
    id: r.id,
    at: r.at,
    user: r.user,
    role: r.role as Role | null,
    source: r.source,
    action: r.action,
    target: r.target,
    params,
    result: r.result as AuditResult,
    code: r.code,
    message: r.message,
  };
}

/** An entry to write, with its result. */
export type AuditWrite = AuditInput & { result: AuditResult; code?: string | null; message?: string | null };

/** The column values of a new entry: texts clipped, params redacted and capped. */
export function auditValues(e: AuditWrite) {
  return {
    at: e.at,
    user: clip(e.user, MAX_NAME) ?? '-',
    role: e.role,
    source: clip(e.source, MAX_NAME) ?? '-',
    action: clip(e.action, MAX_NAME) ?? '-',
    target: clip(e.target, MAX_NAME),
    params: paramsJson(e.params),
    result: e.result,
    code: clip(e.code, MAX_NAME),
    message: clip(e.message, MAX_TEXT),
    commandId: clip(e.commandId, MAX_NAME),
  };
}

/** The column values `finish` writes besides the result. */
export const finishValues = (code: string | null, message: string | null, reply: unknown) => ({
  code: clip(code, MAX_NAME),
  message: clip(message, MAX_TEXT),
  reply: replyJson(reply),
});

/** A stored command reply parsed back; null when none or unreadable. */
export function parseReply(text: string | null | undefined): unknown | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The audit trail over an open connection. Each write is a single statement, so it is its own
 * transaction (or joins the caller's, for a change and its entry written together), committed
 * with synchronous=FULL before it returns.
 */
export function createAuditLog(db: Database.Database): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit (at, user, role, source, action, target, params, result, code, message, command_id)
     VALUES (@at, @user, @role, @source, @action, @target, @params, @result, @code, @message, @commandId)`,
  );
  const finish = db.prepare(
    `UPDATE audit SET result = ?, code = ?, message = ?, reply = ? WHERE id = ? AND result = 'pending'`,
  );
  const reply = db.prepare<[string, string], { reply: string | null }>(
    `SELECT reply FROM audit WHERE user = ? AND command_id = ? AND result != 'pending' ORDER BY id DESC LIMIT 1`,
  );
  const write = (e: AuditWrite): number => Number(insert.run(auditValues(e)).lastInsertRowid);
  return {
    begin: (entry) => write({ ...entry, result: 'pending' }),
    finish(id, result, code = null, message = null, r) {
      const f = finishValues(code, message, r);
      finish.run(result, f.code, f.message, f.reply, id);
    },
    record: (entry) => write(entry),
    query(q: AuditQuery) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (q.user !== undefined) {
        where.push('user = ? COLLATE NOCASE');
        args.push(q.user);
      }
      if (q.action !== undefined) {
        if (q.action.endsWith('*')) {
          // A prefix: 'command:*' is every action starting with 'command:'.
          const prefix = q.action.slice(0, -1);
          where.push('substr(action, 1, ?) = ?');
          args.push(prefix.length, prefix);
        } else {
          where.push('action = ?');
          args.push(q.action);
        }
      }
      if (q.equipment !== undefined) {
        where.push('target = ?');
        args.push(q.equipment);
      }
      if (q.from !== undefined) {
        where.push('at >= ?');
        args.push(q.from);
      }
      if (q.to !== undefined) {
        where.push('at <= ?');
        args.push(q.to);
      }
      const sql = `SELECT id, at, user, role, source, action, target, params, result, code, message FROM audit
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], AuditRow>(sql)
        .all(...args, q.limit)
        .map(toEntry);
    },
    commandReply(user, commandId) {
      return parseReply(reply.get(user, commandId)?.reply);
    },
  };
}
