import {
  type AlarmTransition,
  alarmAckSchema,
  alarmOutOfServiceSchema,
  alarmShelveSchema,
  alarmSinceSchema,
  alarmUnshelveSchema,
  type ErrorCode,
  type Refusal,
} from '../../protocol';
import type { ActionResult, AlarmBook } from '../alarms/alarmBook';
import type { AuditLog } from '../auth/types';
import {
  auditBase,
  audited,
  type GuardDeps,
  guardedOn,
  type Reply,
  type ReplyOf,
  type RequestContext,
} from './guard';
import { LIVE_ROOM, type PlantHost, withSession } from './plantHost';
import type { TwinSocket } from './types';

export { LIVE_ROOM };

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
 * Wires the alarm requests of one socket through the request pipeline (guard.ts) to the alarms of
 * its plant (the live one or its training session's, asked for on every request). The acting user
 * is the one the handshake authenticated (socket.data.user). Every change is audited before the
 * book acts; transitions are persisted by the book, broadcast to the plant's room, and only then is
 * the requester answered.
 */
export function attachAlarmSocket(socket: TwinSocket, host: PlantHost, deps: AlarmDeps): void {
  const { now, audit } = deps;
  const broadcast = (raw: AlarmTransition[]) => {
    const ts = host.plant().markSimulated(raw);
    host.noteAlarms?.(ts);
    for (const t of ts) socket.nsp.to(host.room).emit('alarm:changed', t);
  };
  const action = (res: ActionResult): ReplyOf<'alarm:shelve'> => {
    if (!res.ok) return res;
    broadcast(res.transitions);
    return { ok: true, alarm: res.alarm };
  };
  const noBook = (): Refusal => ({ ok: false, code: 'NOT_FOUND', message: 'this plant runs without alarms' });
  /** Runs `fn` with the plant's book and tells the host how the request ended. */
  const withBook = <R extends Reply>(
    ctx: RequestContext,
    event: string,
    target: string,
    fn: (book: AlarmBook) => R,
  ): R | Refusal => {
    const book = host.plant().alarms;
    const reply = book ? fn(book) : noBook();
    host.noteRequest?.(ctx, event, target, reply);
    return reply;
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
    params: withSession(host, params),
  });

  guardedOn(
    socket,
    'alarm:ack',
    {
      permission: 'alarm:act',
      schema: alarmAckSchema,
      maxBytes: ACK_MAX_BYTES,
      run: ({ ids }, ctx) =>
        audited(audit, entry(ctx, 'alarm:ack', ids.join(','), { count: ids.length }), () =>
          withBook(ctx, 'alarm:ack', ids.join(','), (book) => {
            const r = book.ack(ids, ctx.user, host.now());
            if (r.acknowledged.length === 0) {
              const code: ErrorCode = r.refused.some((x) => x.code === 'CONFLICT') ? 'CONFLICT' : 'NOT_FOUND';
              const message = r.refused
                .map((x) => `${x.id}: ${x.message}`)
                .join('; ')
                .slice(0, 500);
              return { ok: false, code, message };
            }
            broadcast(r.transitions);
            return { ok: true, acknowledged: r.acknowledged, refused: r.refused };
          }),
        ),
    },
    deps,
  );
  guardedOn(
    socket,
    'alarm:shelve',
    {
      permission: 'alarm:act',
      schema: alarmShelveSchema,
      run: (r, ctx) =>
        audited(audit, entry(ctx, 'alarm:shelve', r.id, { minutes: r.minutes, reason: r.reason }), () =>
          withBook(ctx, 'alarm:shelve', r.id, (book) =>
            action(book.shelve(r.id, r.minutes, r.reason, ctx.user, host.now())),
          ),
        ),
    },
    deps,
  );
  guardedOn(
    socket,
    'alarm:unshelve',
    {
      permission: 'alarm:act',
      schema: alarmUnshelveSchema,
      run: (r, ctx) =>
        audited(audit, entry(ctx, 'alarm:unshelve', r.id, null), () =>
          withBook(ctx, 'alarm:unshelve', r.id, (book) => action(book.unshelve(r.id, ctx.user, host.now()))),
        ),
    },
    deps,
  );
  guardedOn(
    socket,
    'alarm:out-of-service',
    {
      permission: 'alarm:out-of-service',
      schema: alarmOutOfServiceSchema,
      run: (r, ctx) =>
        audited(
          audit,
          entry(ctx, 'alarm:out-of-service', r.id, { enabled: r.enabled, reason: r.reason ?? null }),
          () =>
            withBook(ctx, 'alarm:out-of-service', r.id, (book) =>
              action(book.outOfService(r.id, r.enabled, r.reason ?? '', ctx.user, host.now())),
            ),
        ),
    },
    deps,
  );
  // Catch-up transitions go to the requester only, in the answer; nothing changes, nothing audited.
  guardedOn(
    socket,
    'alarm:since',
    {
      permission: 'plant:watch',
      schema: alarmSinceSchema,
      run: (r) => host.plant().alarms?.since(r.seq) ?? noBook(),
    },
    deps,
  );
}
