import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { type LocaleResponse, localeRequestSchema, type SessionInfo } from '../../protocol';
import type { AuthService, Principal, Verified } from '../auth/types';
import { readValidBody } from './body';
import { sendJson, sendRefusal } from './json';

/** Largest login body, bytes (a name and a password of at most 200 characters fit many times). */
export const MAX_LOGIN_BYTES = 4 * 1024;

/** `POST /api/login` body; lengths are checked again (with the rules' messages) by the auth core. */
const loginSchema = z
  .object({
    username: z.string().max(100),
    password: z.string().max(1000),
  })
  .strict();

/** What the API router knows about a request once it has read the headers. */
export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path without trailing slashes. */
  path: string;
  /** Peer address (X-Forwarded-For is not trusted). */
  source: string;
  /** The bearer token from the Authorization header, or null. */
  token: string | null;
  /** The token checked (null when there was none). */
  verified: Verified | null;
  /** Who is asking, when the token is good. */
  principal: Principal | null;
}

/**
 * The bearer token of `Authorization: Bearer TOKEN`, or null. Only the header: a token in a query
 * string ends up in proxy and browser logs.
 */
export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer +([^\s]+) *$/i.exec(h);
  return m ? m[1] : null;
}

/** Answers 401 for a request without a good token; returns the principal otherwise. */
export function requirePrincipal(a: ApiRequest): Principal | null {
  if (a.principal) return a.principal;
  const message =
    a.verified && !a.verified.ok ? a.verified.message : 'log in first: send Authorization: Bearer TOKEN';
  sendRefusal(a.res, 401, 'UNAUTHENTICATED', message);
  return null;
}

function onlyMethod(a: ApiRequest, method: 'GET' | 'POST' | 'PUT'): boolean {
  const m = a.req.method ?? 'GET';
  if (m === method || (method === 'GET' && m === 'HEAD')) return true;
  sendRefusal(a.res, 405, 'INVALID', `use ${method}`, { headers: { allow: method } });
  return false;
}

async function login(a: ApiRequest, auth: AuthService): Promise<void> {
  // What is left of a refused body is never read: the connection closes rather than let Node drain
  // an unbounded body.
  const login = await readValidBody(
    a.req,
    a.res,
    MAX_LOGIN_BYTES,
    loginSchema,
    'expected { "username": string, "password": string } and nothing else',
  );
  if (!login) return;
  const r = await auth.login(login.username, login.password, a.source);
  if (r.ok) return sendJson(a.res, 200, r);
  const status = r.code === 'RATE_LIMITED' ? 429 : r.code === 'INVALID' ? 400 : 401;
  sendRefusal(a.res, status, r.code, r.message, { retryAfterMs: r.retryAfterMs });
}

/**
 * `POST /api/login`, `POST /api/logout`, `GET /api/session`. Returns false for other paths. Login
 * is async (scrypt); the promise never rejects.
 */
export function handleAuthApi(a: ApiRequest, auth: AuthService): boolean | Promise<void> {
  if (a.path === '/api/login') {
    if (!onlyMethod(a, 'POST')) return true;
    return login(a, auth);
  }
  if (a.path === '/api/logout') {
    if (!onlyMethod(a, 'POST')) return true;
    if (!requirePrincipal(a)) return true;
    if (!auth.logout(a.token, a.source)) sendRefusal(a.res, 401, 'UNAUTHENTICATED', 'the session has ended');
    else sendJson(a.res, 200, { ok: true });
    return true;
  }
  if (a.path === '/api/session') {
    if (!onlyMethod(a, 'GET')) return true;
    const p = requirePrincipal(a);
    if (!p) return true;
    const info: SessionInfo = {
      ok: true,
      user: p.user,
      role: p.role,
      expiresAt: p.expiresAt ?? 0,
      locale: p.sid === null ? null : auth.getLocale(p.user),
    };
    sendJson(a.res, 200, info);
    return true;
  }
  if (a.path === '/api/me/locale') {
    if (!onlyMethod(a, 'PUT')) return true;
    if (!requirePrincipal(a)) return true;
    return setLocale(a, auth);
  }
  return false;
}

/** Largest `PUT /api/me/locale` body, bytes. */
const MAX_LOCALE_BYTES = 1024;

async function setLocale(a: ApiRequest, auth: AuthService): Promise<void> {
  const p = a.principal;
  if (!p) return;
  // The public showcase viewer is nobody: there is no user to remember a language for.
  if (p.sid === null) return sendRefusal(a.res, 403, 'FORBIDDEN', 'log in to choose a language');
  const body = await readValidBody(a.req, a.res, MAX_LOCALE_BYTES, localeRequestSchema);
  if (!body) return;
  const r = auth.setLocale(p.user, body.locale, { user: p.user, role: p.role, source: a.source });
  if (!r.ok) return sendRefusal(a.res, r.code === 'NOT_FOUND' ? 404 : 400, r.code, r.message);
  const answer: LocaleResponse = { ok: true, locale: body.locale };
  sendJson(a.res, 200, answer);
}
