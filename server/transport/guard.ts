import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  type AckResult,
  type ClientToServerEvents,
  can,
  formatPath,
  type Permission,
  type Refusal,
  type Role,
} from '../../protocol';
import type { RateLimiter } from '../auth/rateLimiter';
import type { AuditInput, AuditLog, AuthService } from '../auth/types';
import { payloadProblem } from './payloadCheck';
import type { TwinSocket } from './types';

/** Default largest JSON payload of one request, bytes (Socket.IO closes the socket above 64 KiB). */
export const DEFAULT_MAX_PAYLOAD = 16 * 1024;

/** Any answer to a request, as the pipeline and the audit handle it (`message` is logged when a string). */
export type Reply = AckResult<{ message?: unknown; text?: unknown }>;

/** A client event of the event map. */
export type ClientEvent = keyof ClientToServerEvents;
// Both distribute over E (`E extends ClientEvent ?`): without that, TS widens `ok: true` in a
// route's answer to boolean while E is still being inferred, and no answer would fit.
/** The payload an event carries before its ack, as the event map types it; undefined for ack-only events. */
export type PayloadOf<E extends ClientEvent> = E extends ClientEvent
  ? Parameters<ClientToServerEvents[E]> extends [infer P, (result: never) => void]
    ? P
    : undefined
  : never;
/** The answer an event's ack takes, from the event map. */
export type ReplyOf<E extends ClientEvent> = E extends ClientEvent
  ? Parameters<ClientToServerEvents[E]> extends [...unknown[], (result: infer R) => void]
    ? R
    : never
  : never;
/**
 * The schema an event's route must have: one whose parsed output fits the event's payload type;
 * null for an event that carries only its ack.
 */
export type SchemaFor<E extends ClientEvent> =
  PayloadOf<E> extends undefined ? null : z.ZodType<PayloadOf<E>>;
/** What `run` gets: the schema's parsed output (defaults filled, strings trimmed). */
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Who sent a request, from the handshake (socket.data). */
export interface RequestContext {
  readonly socket: TwinSocket;
  readonly user: string;
  readonly role: Role;
  /** Login session, null for the public showcase viewer. */
  readonly sid: string | null;
  readonly source: string;
}

/**
 * One client event: what it needs and what it does. Typed by the event map: the schema's output
 * must fit the event's payload and `run` must answer what the event's ack takes.
 */
export interface Route<E extends ClientEvent, S extends SchemaFor<E>> {
  permission: Permission;
  /** Payload schema; null when the event carries only the ack (plant:resync). */
  schema: S;
  /** Largest JSON payload, bytes (default DEFAULT_MAX_PAYLOAD). */
  maxBytes?: number;
  /** Requests never rate-limited (safety: stop, e-stop), judged on the raw payload. */
  rateExempt?: (payload: unknown) => boolean;
  /**
   * The effect: runs only for a valid, permitted, unthrottled request; audits what it changes. A
   * promise (a command waiting for a device) is answered when it settles.
   */
  run: (req: Parsed<S>, ctx: RequestContext) => ReplyOf<E> | Promise<ReplyOf<E>>;
}

/** A route with its types erased, as the pipeline runs it (the types were checked at registration). */
interface AnyRoute {
  permission: Permission;
  schema: z.ZodType | null;
  maxBytes?: number;
  rateExempt?: (payload: unknown) => boolean;
  run: (req: unknown, ctx: RequestContext) => Reply | Promise<Reply>;
}

/** What the pipeline needs from the app. */
export interface GuardDeps {
  auth: AuthService;
  /** One bucket per user across every event (public showcase sockets: per socket). */
  limiter: RateLimiter;
  log: Logger;
}

type RawOn = { on: (event: string, listener: (...args: unknown[]) => void) => void };
type Ack = (reply: Reply) => void;

/**
 * The one request pipeline every client event goes through, in this order: the ack must be the
 * last of exactly the expected arguments; the payload must be JSON (not binary) within its size
 * limit; the session must still be live; the role must have the permission (FORBIDDEN); the user
 * must be within the rate limit (RATE_LIMITED with retryAfterMs); the payload must pass its strict
 * schema (INVALID naming the path); then the route runs (audit begin, effect, finish) and the ack
 * is called. A throw anywhere answers INTERNAL and is logged; refusals change nothing.
 */
export function guardedOn<E extends ClientEvent, S extends SchemaFor<E>>(
  socket: TwinSocket,
  event: E,
  typed: Route<E, S>,
  deps: GuardDeps,
): void {
  const route = typed as unknown as AnyRoute;
  const maxBytes = route.maxBytes ?? DEFAULT_MAX_PAYLOAD;
  const arity = route.schema ? 2 : 1;
  (socket as unknown as RawOn).on(event, (...args) => {
    const last = args[args.length - 1];
    if (args.length !== arity || typeof last !== 'function') {
      // Without an ack nobody would hear the outcome, so such a request is not carried out.
      const fn = [...args].reverse().find((a) => typeof a === 'function') as Ack | undefined;
      if (fn) answer(fn, invalid(route.schema ? 'expected (payload, ack)' : `${event} takes no payload`));
      return;
    }
    const ack = last as Ack;
    let reply: Reply | Promise<Reply>;
    try {
      reply = handle(socket, event, route, deps, maxBytes, route.schema ? args[0] : undefined);
    } catch (err) {
      reply = failed(err);
    }
    if (reply instanceof Promise)
      reply.then(
        (r) => answer(ack, r),
        (err) => answer(ack, failed(err)),
      );
    else answer(ack, reply);

    function failed(err: unknown): Reply {
      deps.log.error({ err, event }, 'request failed');
      return { ok: false, code: 'INTERNAL', message: 'the request could not be carried out' };
    }

    function answer(fn: Ack, r: Reply): void {
      try {
        fn(r);
      } catch (err) {
        deps.log.warn({ err, event }, 'ack failed');
      }
    }
  });
}

function handle(
  socket: TwinSocket,
  event: string,
  route: AnyRoute,
  deps: GuardDeps,
  maxBytes: number,
  payload: unknown,
): Reply | Promise<Reply> {
  if (route.schema) {
    const problem = payloadProblem(payload, maxBytes);
    if (problem) return invalid(problem);
  }
  const { user, role, sid, source } = socket.data;
  // The session watch closes revoked sockets within 250 ms; this closes the gap for requests.
  if (sid !== null && deps.auth.sessionState(sid) !== 'ok') {
    return { ok: false, code: 'UNAUTHENTICATED', message: 'your session has ended: log in again' };
  }
  if (!can(role, route.permission)) {
    return { ok: false, code: 'FORBIDDEN', message: `the ${role} role may not ${event}` };
  }
  if (!route.rateExempt?.(payload)) {
    const key = sid === null ? `socket:${socket.id}` : `user:${user}`;
    const t = deps.limiter.take(key);
    if (!t.ok) {
      return {
        ok: false,
        code: 'RATE_LIMITED',
        message: `too many requests: try again in ${t.retryAfterMs} ms`,
        retryAfterMs: t.retryAfterMs,
      };
    }
  }
  let req: unknown;
  if (route.schema) {
    const parsed = route.schema.safeParse(payload);
    if (!parsed.success) return invalid(firstIssue(parsed.error));
    req = parsed.data;
  }
  return route.run(req, { socket, user, role, sid, source });
}

/** An INVALID refusal. */
export function invalid(message: string): Refusal {
  return { ok: false, code: 'INVALID', message };
}

/** The first problem of a failed parse, as one line (`minutes: expected minutes > 0`). */
export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${formatPath(i.path)}: ${i.message}` : 'invalid request';
}

/** The who/when/where part of an audit entry for a request. */
export function auditBase(
  ctx: RequestContext,
  now: () => number,
): Pick<AuditInput, 'at' | 'user' | 'role' | 'source'> {
  return { at: now(), user: ctx.user, role: ctx.role, source: ctx.source };
}

/**
 * Runs an effect between an audit `begin` (written and synced before anything changes) and its
 * `finish` with the result. `keepReply`: store the answer for exactly-once replays (commands).
 * A throw is finished as 'error' and passed on (the pipeline answers INTERNAL).
 */
export function audited<R extends Reply>(
  audit: AuditLog,
  entry: AuditInput,
  effect: () => R,
  keepReply = false,
): R {
  const id = audit.begin(entry);
  let reply: R;
  try {
    reply = effect();
  } catch (err) {
    audit.finish(id, 'error', 'INTERNAL', 'the request failed');
    throw err;
  }
  const r: Reply = reply;
  const message = typeof r.message === 'string' ? r.message : null;
  audit.finish(id, r.ok ? 'ok' : 'refused', r.ok ? null : r.code, message, keepReply ? r : undefined);
  return reply;
}
