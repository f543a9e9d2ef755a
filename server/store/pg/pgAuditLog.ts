import type { AuditQuery } from '../../../protocol';
import type { AsyncAuditLog } from '../api/authApi';
import {
  type AuditRow,
  type AuditWrite,
  auditValues,
  finishValues,
  parseReply,
  toEntry,
} from '../auditStore';
import { type Queryable, sql } from './pgQuery';

/**
 * The audit trail in PostgreSQL, over a pool or over the connection of an open transaction (then
 * its writes commit or roll back with the caller's change). Same clipping, redaction and queries
 * as the SQLite audit; `user` is quoted (a reserved word there). PostgreSQL refuses U+0000 in text,
 * so a NUL a client sent is stored (and looked up) as U+FFFD: the entry is never lost over it.
 */
export function pgAuditLog(q: Queryable): AsyncAuditLog {
  const write = async (e: AuditWrite): Promise<number> => {
    const v = auditValues(e);
    const r = await sql<{ id: number }>(
      q,
      `INSERT INTO audit (at, "user", role, source, action, target, params, result, code, message, command_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        v.at,
        v.user,
        v.role,
        v.source,
        v.action,
        v.target,
        v.params, // JSON text: a NUL in it is the escape \u0000, which PostgreSQL takes
        v.result,
        v.code,
        v.message,
        v.commandId,
      ],
    );
    return r.rows[0].id;
  };
  return {
    begin: (entry) => write({ ...entry, result: 'pending' }),
    async finish(id, result, code = null, message = null, reply) {
      const f = finishValues(code, message, reply);
      await sql(
        q,
        `UPDATE audit SET result = $1, code = $2, message = $3, reply = $4 WHERE id = $5 AND result = 'pending'`,
        [result, f.code, f.message, f.reply, id],
      );
    },
    record: (entry) => write(entry),
    async query(a: AuditQuery) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const arg = (v: string | number) => {
        args.push(v);
        return `$${args.length}`;
      };
      if (a.user !== undefined) where.push(`"user" = ${arg(a.user)} COLLATE nocase`);
      if (a.action !== undefined) {
        if (a.action.endsWith('*')) {
          // A prefix: 'command:*' is every action starting with 'command:' (no LIKE: % and _ stay plain).
          const prefix = a.action.slice(0, -1);
          where.push(`substr(action, 1, ${arg(prefix.length)}) = ${arg(prefix)}`);
        } else where.push(`action = ${arg(a.action)}`);
      }
      if (a.equipment !== undefined) where.push(`target = ${arg(a.equipment)}`);
      if (a.from !== undefined) where.push(`at >= ${arg(a.from)}`);
      if (a.to !== undefined) where.push(`at <= ${arg(a.to)}`);
      const text = `SELECT id, at, "user", role, source, action, target, params, result, code, message FROM audit
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${arg(a.limit)}`;
      const r = await sql<AuditRow>(q, text, args);
      return r.rows.map(toEntry);
    },
    async commandReply(user, commandId) {
      const r = await sql<{ reply: string | null }>(
        q,
        `SELECT reply FROM audit WHERE "user" = $1 AND command_id = $2 AND result != 'pending' ORDER BY id DESC LIMIT 1`,
        [user, commandId],
      );
      return parseReply(r.rows[0]?.reply);
    },
  };
}
