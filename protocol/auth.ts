import type { Locale } from './text';

/**
 * Users, roles and the audit trail as both ends see them. The server decides; the client only uses
 * `can` to hide what the user may not do (the server checks every request again).
 */

/** Roles, least to most trusted; each may do everything the one before it may. */
export const ROLES = ['viewer', 'operator', 'trainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a request needs. */
export type Permission =
  /** See the plant, its alarms and KPIs (every role). */
  | 'plant:watch'
  /** Acknowledge, shelve and unshelve alarms. */
  | 'alarm:act'
  /** Take alarms out of service and back. */
  | 'alarm:out-of-service'
  /** Send equipment commands. */
  | 'equipment:command'
  /** Run training sessions and scenarios. */
  | 'training:run'
  /** Read the audit trail. */
  | 'audit:read'
  /** Manage users. */
  | 'users:manage';

/** The least role that has each permission (roles are cumulative). */
export const LEAST_ROLE: Record<Permission, Role> = {
  'plant:watch': 'viewer',
  'alarm:act': 'operator',
  'equipment:command': 'operator',
  'training:run': 'trainer',
  'alarm:out-of-service': 'admin',
  'audit:read': 'admin',
  'users:manage': 'admin',
};

/** Whether `role` has `permission`. */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(LEAST_ROLE[permission]);
}

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

/** User names: 1–32 of letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** Passwords: 10 to 200 characters. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** `POST /api/login` body. */
export interface LoginRequest {
  username: string;
  password: string;
}

/** `POST /api/login` answer (200). Refusals are `{ ok: false, code, message, retryAfterMs? }`. */
export interface LoginResponse {
  ok: true;
  token: string;
  user: string;
  role: Role;
  /** ms since epoch. */
  expiresAt: number;
  /** The language the user chose (`PUT /api/me/locale`); null: never chose (use ?lang= or the browser's). */
  locale: Locale | null;
}

/** `GET /api/session` answer: who the bearer token belongs to. */
export interface SessionInfo {
  ok: true;
  user: string;
  role: Role;
  expiresAt: number;
  /** As in LoginResponse. */
  locale: Locale | null;
}

/** `PUT /api/me/locale` answer (200); the body is LocaleRequest. */
export interface LocaleResponse {
  ok: true;
  locale: Locale;
}

/** Sent to a socket just before the server closes it because its session ended. */
export interface SessionEnded {
  reason: 'logout' | 'expired' | 'revoked';
  message: string;
}

/**
 * Socket.IO handshake `auth`: `token` from login, or `showcase: true` for the public showcase
 * (accepted as a viewer only when the server runs with --public-showcase). Never the query string.
 */
export interface HandshakeAuth {
  token?: string;
  showcase?: boolean;
  /** A socket of the replay view: it joins no plant and gets no live stream, only replay answers. */
  replay?: boolean;
}

/** How an audited action ended. `pending`: written before the effect, never finished (a crash). */
export type AuditResult = 'pending' | 'ok' | 'refused' | 'error';

/** One audit entry (`GET /api/audit`). Never holds a token or a password. */
export interface AuditEntry {
  id: number;
  /** Wall time, ms since epoch. */
  at: number;
  /** Who: a user name, '-' for an unknown one (failed login of a name that does not exist), 'cli'. */
  user: string;
  role: Role | null;
  /** Source address (IP, or 'cli'). */
  source: string;
  /** e.g. 'login', 'logout', 'login-failed', 'command', 'alarm:ack', 'user:add'. */
  action: string;
  /** Equipment, line, alarm id(s) or user name acted on. */
  target: string | null;
  params: Record<string, unknown> | null;
  result: AuditResult;
  code: string | null;
  message: string | null;
}

/** `GET /api/audit?user=&action=&equipment=&from=&to=&limit=` (times ms or ISO; newest first). */
export interface AuditQuery {
  user?: string;
  action?: string;
  /** Matches the target exactly. */
  equipment?: string;
  from?: number;
  to?: number;
  limit: number;
}
