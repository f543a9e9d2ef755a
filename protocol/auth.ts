import type { Locale } from './text';

/**
 * Users, roles and the audit trail as both ends see them. The server decides; the client only uses
 * `can` to hide what the user may not do (the server checks every request again).
 */

import type { Screen } from './screens';

/**
 * Every role. `viewer` < `operator` < `trainer` < `admin` each may do everything the one before it
 * may; `engineer` stands beside them: it watches the plant and edits designs, and nothing else (it
 * never commands equipment nor acts on alarms). So a role's rights are its permission set
 * (`PERMISSIONS`), never its place in this list.
 */
export const ROLES = ['viewer', 'operator', 'trainer', 'admin', 'engineer'] as const;
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
  /** Add bookmarks to the recordings the user may see. */
  | 'recording:bookmark'
  /** Run training sessions and scenarios. */
  | 'training:run'
  /** Read the audit trail. */
  | 'audit:read'
  /** Manage users. */
  | 'users:manage'
  /** See the health of the plant's data sources (ingest). */
  | 'sources:read'
  /** Edit plant design drafts and save their versions (never the live plant itself). */
  | 'design:edit'
  /** Publish a design version to the live plant, or roll it back to an earlier one. */
  | 'plant:publish';

const VIEWER: readonly Permission[] = ['plant:watch'];
const OPERATOR: readonly Permission[] = [
  ...VIEWER,
  'alarm:act',
  'equipment:command',
  'recording:bookmark',
  'sources:read',
];
const TRAINER: readonly Permission[] = [...OPERATOR, 'training:run'];
const ADMIN: readonly Permission[] = [
  ...TRAINER,
  'alarm:out-of-service',
  'audit:read',
  'users:manage',
  'design:edit',
  'plant:publish',
];

/** What each role may do. */
export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: new Set(VIEWER),
  operator: new Set(OPERATOR),
  trainer: new Set(TRAINER),
  admin: new Set(ADMIN),
  engineer: new Set<Permission>(['plant:watch', 'design:edit']),
};

/** Whether `role` has `permission`. */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return PERMISSIONS[role]?.has(permission) ?? false;
}

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

/** User names: 1–32 of letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** Passwords: 10 to 200 characters. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

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
  /** The console the client shows (counted in the server's metrics; anything else is 'unknown'). */
  screen?: Screen;
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
