import type {
  AuditEntry,
  ErrorCode,
  Locale,
  LocaleResponse,
  LoginRequest,
  LoginResponse,
  SessionInfo,
} from '../../protocol';
import { useAuthStore } from './authStore';

/** A refused or failed HTTP call: the server's refusal, or OFFLINE when it could not be reached. */
export interface ApiRefusal {
  ok: false;
  code: ErrorCode | 'OFFLINE';
  message: string;
  retryAfterMs?: number;
}

/** The answer of an API call; these functions never throw. */
export type ApiResult<T extends object> = ({ ok: true } & T) | ApiRefusal;

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'INVALID',
  429: 'RATE_LIMITED',
};

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Turns an HTTP answer into an ApiResult: the body when ok, else its refusal (or one from the status). */
export function toApiResult<T extends object>(status: number, body: unknown, retryAfter: string | null) {
  if (status >= 200 && status < 300 && isRecord(body) && body.ok !== false) return body as { ok: true } & T;
  const refusal: ApiRefusal = {
    ok: false,
    code: CODE_BY_STATUS[status] ?? 'INTERNAL',
    message: `The server answered HTTP ${status}`,
  };
  if (isRecord(body) && body.ok === false) {
    if (typeof body.code === 'string') refusal.code = body.code as ErrorCode;
    if (typeof body.message === 'string') refusal.message = body.message;
    if (typeof body.retryAfterMs === 'number') refusal.retryAfterMs = body.retryAfterMs;
  }
  // Retry-After (seconds) stands in when the body does not say how long to wait.
  const headerS = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (refusal.code === 'RATE_LIMITED' && refusal.retryAfterMs === undefined && headerS >= 0)
    refusal.retryAfterMs = headerS * 1000;
  return refusal;
}

async function call<T extends object>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    return { ok: false, code: 'OFFLINE', message: 'Cannot reach the server' };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page): the status decides.
  }
  return toApiResult<T>(res.status, body, res.headers.get('retry-after'));
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** `POST /api/login`. */
export function login(username: string, password: string): Promise<ApiResult<Omit<LoginResponse, 'ok'>>> {
  const body: LoginRequest = { username, password };
  return call('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** `POST /api/logout`: ends the token's session on the server (and its sockets). */
export function logout(token: string): Promise<ApiResult<object>> {
  return call('/api/logout', { method: 'POST', headers: bearer(token) });
}

/** `GET /api/session`: whom the token belongs to, if it is still valid. */
export function fetchSession(token: string): Promise<ApiResult<Omit<SessionInfo, 'ok'>>> {
  return call('/api/session', { method: 'GET', headers: bearer(token) });
}

/** `PUT /api/me/locale`: remembers the user's language on the server (any logged-in role). */
export function saveLocale(locale: Locale): Promise<ApiResult<Omit<LocaleResponse, 'ok'>>> {
  return authorizedCall('/api/me/locale', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale }),
  });
}

/** Filters of the audit view (times in ms since epoch). */
export interface AuditFilter {
  user?: string;
  action?: string;
  equipment?: string;
  from?: number;
  to?: number;
  limit?: number;
}

/** The query string of `GET /api/audit` for a filter (empty fields left out). */
export function auditQueryString(f: AuditFilter): string {
  const q = new URLSearchParams();
  for (const key of ['user', 'action', 'equipment'] as const) {
    const v = f[key]?.trim();
    if (v) q.set(key, v);
  }
  for (const key of ['from', 'to', 'limit'] as const) {
    const v = f[key];
    if (v !== undefined && Number.isFinite(v)) q.set(key, String(Math.round(v)));
  }
  return q.toString();
}

/** `GET /api/audit` (admins), newest first. A 401 ends this screen's session. */
export async function fetchAudit(f: AuditFilter): Promise<ApiResult<{ entries: AuditEntry[] }>> {
  const token = useAuthStore.getState().token;
  if (!token) return { ok: false, code: 'UNAUTHENTICATED', message: 'Not logged in' };
  const r = await call<{ entries: AuditEntry[] }>(`/api/audit?${auditQueryString(f)}`, {
    method: 'GET',
    headers: bearer(token),
  });
  if (!r.ok && r.code === 'UNAUTHENTICATED') endSession(r.message);
  if (r.ok && !Array.isArray(r.entries)) return { ok: false, code: 'INTERNAL', message: 'Unexpected answer' };
  return r;
}

/**
 * A GET with the login's bearer token (for APIs read with plain fetch, such as the alarm journal).
 * A 401 means the token is no longer valid: the login screen comes back.
 */
export async function authorizedGet(path: string): Promise<Response> {
  const token = useAuthStore.getState().token;
  const res = await fetch(path, {
    headers: { accept: 'application/json', ...(token ? bearer(token) : {}) },
  });
  if (res.status === 401 && token) endSession(null);
  return res;
}

/**
 * A JSON API call with the login's bearer token; never throws. A 401 means the server no longer
 * knows the token: the login page comes back.
 */
export async function authorizedCall<T extends object>(
  path: string,
  init: RequestInit = {},
): Promise<ApiResult<T>> {
  const token = useAuthStore.getState().token;
  if (!token) return { ok: false, code: 'UNAUTHENTICATED', message: 'Not logged in' };
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', ...bearer(token), ...init.headers },
    });
  } catch {
    return { ok: false, code: 'OFFLINE', message: 'Cannot reach the server' };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: the status decides.
  }
  const r = toApiResult<T>(res.status, body, res.headers.get('retry-after'));
  if (!r.ok && r.code === 'UNAUTHENTICATED') endSession(r.message);
  return r;
}

function endSession(message: string | null): void {
  useAuthStore.getState().signOut({ reason: 'ended', message: message ?? undefined });
}
