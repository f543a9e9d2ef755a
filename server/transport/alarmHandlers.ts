import type { AlarmTransition } from '../../protocol';
import type { ActionResult, AlarmBook } from '../alarms/alarmBook';
import type { AuditLog } from '../auth/types';
import { ackSchema, outOfServiceSchema, shelveSchema, sinceSchema, unshelveSchema } from './alarmSchemas';
import { auditBase, audited, type GuardDeps, guardedOn, type Reply, type RequestContext } from './guard';
import type { TwinSocket } from './types';

/** Room of the clients watching the live plant. */
export const LIVE_ROOM = 'plant:live';

/** `alarm:ack` may carry up to MAX_ACK_IDS ids of up to 100 characters: a larger limit, bytes. */
const ACK_MAX_BYTES = 48 * 1024;
/** Longest audit target written for a list of alarm ids, characters. */
const MAX_TARGET = 200;

/** What the alarm handlers need besides the pipeline's deps. */
export interface AlarmDeps extends GuardDeps {
  audit: AuditLog;
  /** Wall clock, ms since epoch. */
  now: () => number;
}

/**
 * Wires the alarm requests of one socket through the request pipeline (guard.ts). The acting user
 * is the one the handshake authenticated (socket.data.user). Every change is audited before the
 * book acts; transitions are persisted by the book, broadcast to the live room, and only then is
 * the requester answered.
 */
export function attachAlarmSocket(socket: TwinSocket, book: AlarmBook, deps: AlarmDeps): void {
  const { now, audit } = deps;
  const broadcast = (ts: readonly AlarmTransition[]) => {
    for (const t of ts) socket.nsp.to(LIVE_ROOM).emit('alarm:changed', t);
  };
  const action = (res: ActionResult): Reply => {
    if (!res.ok) return res;
    broadcast(res.transitions);
    return { ok: true, alarm: res.alarm };
  };
  const entry = (
    ctx: RequestContext,
    event: string,
    target: string,
    params: Record<string, unknown> | null,
  ) => ({
    ...auditBase(ctx, now),
    action: event,
    target: target.length > MAX_TARGET ? `${target.slice(0, MAX_TARGET - 1)}…` : target,
    params,
  });

  guardedOn(
    socket,
    'alarm:ack',
    {
      permission: 'alarm:act',
      schema: ackSchema,
      maxBytes: ACK_MAX_BYTES,
      run: ({ ids }, ctx) =>
        audited(audit, entry(ctx, 'alarm:ack', ids.join(','), { count: ids.length }), () => {
          const r = book.ack(ids, ctx.user, now());
          if (r.acknowledged.length === 0) {
            const code = r.refused.some((x) => x.code === 'CONFLICT') ? 'CONFLICT' : 'NOT_FOUND';
            const message = r.refused
              .map((x) => `${x.id}: ${x.message}`)
              .join('; ')
              .slice(0, 500);
            return { ok: false, code, message };
          }
          broadcast(r.transitions);
          return { ok: true, acknowledged: r.acknowledged, refused: r.refused };
        }),
    },
    deps,
  );
  guardedOn(
    socket,
    'alarm:shelve',
    {
      permission: 'alarm:act',
      schema: shelveSchema,
      run: (r, ctx) =>
        audited(audit, entry(ctx, 'alarm:shelve', r.id, { minutes: r.minutes, reason: r.reason }), () =>
          action(book.shelve(r.id, r.minutes, r.reason, ctx.user, now())),
        ),
    },
    deps,
  );
  guardedOn(
    socket,
    'alarm:unshelve',
    {
      permission: 'alarm:act',
      schema: unshelveSchema,
      run: (r, ctx) =>
        audited(audit, entry(ctx, 'alarm:unshelve', r.id, null), () =>
          action(book.unshelve(r.id, ctx.user, now())),
        ),
    },
    deps,
  );
  guardedOn(
    socket,
    'alarm:out-of-service',
    {
      permission: 'alarm:out-of-service',
      schema: outOfServiceSchema,
      run: (r, ctx) =>
        audited(
          audit,
          entry(ctx, 'alarm:out-of-service', r.id, { enabled: r.enabled, reason: r.reason ?? null }),
          () => action(book.outOfService(r.id, r.enabled, r.reason ?? '', ctx.user, now())),
        ),
    },
    deps,
  );
  // Catch-up transitions go to the requester only, in the answer; nothing changes, nothing audited.
  guardedOn(
    socket,
    'alarm:since',
    { permission: 'plant:watch', schema: sinceSchema, run: (r) => book.since(r.seq) },
    deps,
  );
}
