import type { AuditEntry } from '../../../protocol';
import type { AuditFilter } from '../../auth/api';

/** Entries asked for at most (newest first); narrower filters reach older ones. */
export const AUDIT_LIMIT = 200;

/**
 * Audit actions the filter suggests (free text is accepted too). A trailing `*` matches a prefix:
 * `command:*` is every equipment command.
 */
export const AUDIT_ACTIONS = [
  'command:*',
  'command:go-to',
  'command:stop',
  'command:e-stop',
  'login',
  'login-failed',
  'logout',
  'alarm:*',
  'alarm:ack',
  'alarm:shelve',
  'alarm:out-of-service',
  'user:*',
] as const;

/** The filter form's fields as typed (datetime-local strings for the times). */
export interface AuditForm {
  user: string;
  action: string;
  equipment: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FORM: AuditForm = { user: '', action: '', equipment: '', from: '', to: '' };

/** A datetime-local value ('2026-05-04T14:03') as ms since epoch in local time; undefined when empty or bad. */
export function parseLocalDateTime(value: string): number | undefined {
  if (!value.trim()) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** The API filter for a form, or 'bad-range' when From is not before To. */
export function auditFilter(form: AuditForm): AuditFilter | 'bad-range' {
  const from = parseLocalDateTime(form.from);
  const to = parseLocalDateTime(form.to);
  if (from !== undefined && to !== undefined && from >= to) return 'bad-range';
  return {
    user: form.user.trim() || undefined,
    action: form.action.trim() || undefined,
    equipment: form.equipment.trim() || undefined,
    from,
    to,
    limit: AUDIT_LIMIT,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time of an entry, to the second: '2026-05-04 14:03:07'. */
export function formatAuditTime(ms: number): string {
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '–';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Parameters as `key=value` pairs ('node=RK-01-P, minutes=30'); empty when none. */
export function formatParams(params: AuditEntry['params']): string {
  if (!params) return '';
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** Newest first, whatever order the server used (ties: higher id first). */
export function newestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].sort((a, b) => b.at - a.at || b.id - a.id);
}
