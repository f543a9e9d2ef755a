import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AckResult, AlarmTransition } from '../../protocol';
import type { ActionResult, AlarmBook } from '../alarms/alarmBook';
import {
  ackSchema,
  firstIssue,
  outOfServiceSchema,
  shelveSchema,
  sinceSchema,
  unshelveSchema,
} from './alarmSchemas';
import type { TwinSocket } from './types';

/** Room of the clients watching the live plant. */
export const LIVE_ROOM = 'plant:live';

/** User name until the users issue lands: a plain name from the handshake, else 'operator'. */
export function userOf(socket: TwinSocket): string {
  const u = (socket.handshake.auth as Record<string, unknown> | undefined)?.user;
  return typeof u === 'string' && /^[\p{L}\p{N} ._@-]{1,40}$/u.test(u) && u.trim() ? u.trim() : 'operator';
}

/**
 * Wires the alarm requests of one socket. Every payload goes through its schema; every answer is
 * `{ ok: true, ... }` or `{ ok: false, code, message }` on the ack callback; a request without one
 * is ignored; a refusal changes nothing. Transitions are persisted by the book before they are
 * broadcast to the live room, and broadcast before the requester hears back.
 */
export function attachAlarmSocket(socket: TwinSocket, book: AlarmBook, now: () => number, log: Logger): void {
  const user = userOf(socket);
  const broadcast = (ts: readonly AlarmTransition[]) => {
    for (const t of ts) socket.nsp.to(LIVE_ROOM).emit('alarm:changed', t);
  };
  const on = <S extends z.ZodType>(event: string, schema: S, run: (req: z.output<S>) => Outcome) => {
    (socket as unknown as { on: (e: string, f: (...a: unknown[]) => void) => void }).on(event, (...args) => {
      // Requests are (payload, ack). Without an ack function nobody would hear the outcome, so a
      // request that cannot be answered is not carried out either.
      const ack =
        args.length === 2 && typeof args[1] === 'function' ? (args[1] as (r: unknown) => void) : null;
      if (!ack) {
        const last = args[args.length - 1];
        if (typeof last === 'function')
          last({ ok: false, code: 'INVALID', message: 'expected (payload, ack)' });
        return;
      }
      let reply: AckResult<Record<string, unknown>>;
      try {
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) reply = { ok: false, code: 'INVALID', message: firstIssue(parsed.error) };
        else {
          const out = run(parsed.data);
          if (out.changed) broadcast(out.changed);
          reply = out.reply;
        }
      } catch (err) {
        log.error({ err, event }, 'alarm request failed');
        reply = { ok: false, code: 'INTERNAL', message: 'the request could not be carried out' };
      }
      try {
        ack(reply);
      } catch (err) {
        log.warn({ err, event }, 'ack failed');
      }
    });
  };
  const action = (res: ActionResult): Outcome =>
    res.ok ? { reply: { ok: true, alarm: res.alarm }, changed: res.transitions } : { reply: res };

  on('alarm:ack', ackSchema, ({ ids }) => {
    const r = book.ack(ids, user, now());
    if (r.acknowledged.length === 0) {
      const code = r.refused.some((x) => x.code === 'CONFLICT') ? 'CONFLICT' : 'NOT_FOUND';
      const message = r.refused
        .map((x) => `${x.id}: ${x.message}`)
        .join('; ')
        .slice(0, 500);
      return { reply: { ok: false, code, message } };
    }
    return {
      reply: { ok: true, acknowledged: r.acknowledged, refused: r.refused },
      changed: r.transitions,
    };
  });
  on('alarm:shelve', shelveSchema, (r) => action(book.shelve(r.id, r.minutes, r.reason, user, now())));
  on('alarm:unshelve', unshelveSchema, (r) => action(book.unshelve(r.id, user, now())));
  on('alarm:out-of-service', outOfServiceSchema, (r) =>
    action(book.outOfService(r.id, r.enabled, r.reason ?? '', user, now())),
  );
  // Catch-up transitions go to the requester only, in the answer.
  on('alarm:since', sinceSchema, (r) => ({ reply: book.since(r.seq) }));
}

/** What a request produced: the answer, and the transitions to broadcast first. */
interface Outcome {
  reply: AckResult<Record<string, unknown>>;
  changed?: readonly AlarmTransition[];
}
