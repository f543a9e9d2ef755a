import type { Logger } from 'pino';
import type { ErrorCode } from '../../protocol';
import type { AuthService, Principal } from '../auth/types';
import type { TwinSocket } from './types';

/** How the server lets sockets in (from the command line). */
export interface SecurityOptions {
  /** Origins allowed besides the server's own (`--allow-origin`), e.g. 'https://hmi.example'. */
  allowOrigins: readonly string[];
  /** Whether a viewer may watch without logging in (`--public-showcase`). */
  publicShowcase: boolean;
  /** Per-user request rate across every client event (default 10/s, burst 20). */
  requestRate?: { perS: number; burst: number };
}

/** The principal of a public showcase viewer (no login session). */
const SHOWCASE: Principal = { user: 'showcase', role: 'viewer', sid: null, expiresAt: null };

/** A handshake refusal as Socket.IO hands it to the client's `connect_error` (err.data). */
function refuse(code: ErrorCode, message: string): Error {
  const err = new Error(message) as Error & { data: { code: ErrorCode; message: string } };
  err.data = { code, message };
  return err;
}

/**
 * Whether a browser page from `origin` may open a socket: the server's own origin (same Host, http
 * or https: a TLS proxy in front may terminate either) or one on the allow-list. Non-browser
 * clients send no Origin and are judged by their token alone (cross-site WebSocket hijacking
 * needs a browser, and browsers always send it).
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allow: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  return allow.includes(origin);
}

/** Finds a training session by id or join code: its id, or null when there is none. */
export type TrainingResolver = (idOrCode: string) => string | null;

/** Longest `auth.session` looked up (ids are 16 characters, codes 6). */
const MAX_SESSION_KEY = 64;

/**
 * The Socket.IO handshake check (`io.use`): the Origin, then the token from `auth.token` (never
 * the query string), else the public showcase when allowed, then the training session of
 * `auth.session` (id or join code; logged-in users only; an unknown one is NOT_FOUND). Sets
 * socket.data for the handlers.
 */
export function handshakeGuard(
  auth: AuthService,
  security: SecurityOptions,
  now: () => number,
  log: Logger,
  training?: TrainingResolver,
): (socket: TwinSocket, next: (err?: Error) => void) => void {
  return (socket, next) => {
    try {
      const h = socket.handshake;
      const origin = h.headers.origin;
      if (
        !originAllowed(typeof origin === 'string' ? origin : undefined, h.headers.host, security.allowOrigins)
      ) {
        return next(refuse('FORBIDDEN', `origin not allowed: ${String(origin).slice(0, 100)}`));
      }
      const a = (h.auth ?? {}) as Record<string, unknown>;
      let principal: Principal | null = null;
      let why = 'no token: log in first';
      if (a.token !== undefined) {
        const v = auth.verify(a.token);
        if (v.ok) principal = v.principal;
        else why = v.message;
      }
      if (!principal && a.showcase === true && security.publicShowcase) principal = SHOWCASE;
      if (!principal) return next(refuse('UNAUTHENTICATED', why));
      let trainingId: string | null = null;
      if (a.session !== undefined && a.session !== null) {
        if (typeof a.session !== 'string' || a.session.length === 0 || a.session.length > MAX_SESSION_KEY)
          return next(refuse('INVALID', 'auth.session: expected a training session id or join code'));
        if (principal.sid === null) return next(refuse('FORBIDDEN', 'log in to join a training session'));
        trainingId = training?.(a.session) ?? null;
        if (trainingId === null)
          return next(refuse('NOT_FOUND', 'no such training session: check the code or link'));
      }
      socket.data.connectedAt = now();
      socket.data.user = principal.user;
      socket.data.role = principal.role;
      socket.data.sid = principal.sid;
      socket.data.source = h.address;
      socket.data.trainingId = trainingId;
      next();
    } catch (err) {
      log.error({ err }, 'handshake check failed');
      next(refuse('INTERNAL', 'the connection could not be checked'));
    }
  };
}
