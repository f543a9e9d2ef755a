import { z } from 'zod';

/**
 * Query strings of the HTTP read API. Every value arrives as a string; the schemas turn them into
 * the numbers the server uses, so `z.output` is what a handler receives and the store queries.
 */

/** Most audit entries one `GET /api/audit` returns. */
export const MAX_AUDIT = 1000;
/** Most journal entries one `GET /api/alarms/history` returns. */
export const MAX_HISTORY = 1000;

/** A time in a query: ms since epoch, or an ISO 8601 date. */
export const timeParam = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'expected ms since epoch or an ISO 8601 date' });
      return z.NEVER;
    }
    return ms;
  });

/** A whole-number `limit` from 1 to `max`, `fallback` when absent. */
export function limitParam(max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,5}$/, { error: `expected a whole number from 1 to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { error: 'expected at least 1' })
        .max(max, { error: `expected at most ${max}` }),
    )
    .default(fallback);
}

/** A whole number from 0 to `max`. */
export const countParam = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: 'expected a whole number' })
    .transform(Number)
    .pipe(z.number().max(max, { error: `expected at most ${max}` }));

/** `GET /api/audit?user=&action=&equipment=&from=&to=&limit=`. */
export const auditQuerySchema = z
  .object({
    /** A user name, or '-' (failed logins of unknown names), 'cli', 'server'. */
    user: z
      .string()
      .regex(/^(-|[A-Za-z0-9][A-Za-z0-9._-]{0,31})$/, { error: 'expected a user name' })
      .optional(),
    /** Exact, or a prefix when it ends with '*' ('command:*'). */
    action: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}\*?$/, {
        error: "expected an action such as 'login', or a prefix ending in '*' such as 'command:*'",
      })
      .optional(),
    /** What was acted on: equipment, line, alarm or user (printable text); matched exactly. */
    equipment: z
      .string()
      .regex(/^[^\p{Cc}]{1,200}$/u, { error: 'expected an equipment id' })
      .optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    limit: limitParam(MAX_AUDIT, 200),
  })
  .strict();
/** An audit query as the server runs it (times in ms since epoch). */
export type AuditQuery = z.output<typeof auditQuerySchema>;

/** `GET /api/alarms/history?from=&to=&equipment=&limit=`. */
export const historyQuerySchema = z
  .object({
    from: timeParam.optional(),
    to: timeParam.optional(),
    equipment: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, { error: 'expected an equipment id' })
      .optional(),
    limit: limitParam(MAX_HISTORY, 100),
  })
  .strict();
/** An alarm-journal query as the server runs it (times in ms since epoch). */
export type HistoryQuery = z.output<typeof historyQuerySchema>;

/** `GET /api/sessions/:id/events?offset=&limit=` (entries of the log, oldest first). */
export const sessionEventsQuerySchema = z
  .object({ offset: countParam(1e9).optional(), limit: countParam(1e9).optional() })
  .strict();
