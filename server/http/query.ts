import { z } from 'zod';
import { formatPath } from '../../protocol';

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

/**
 * Parses a URL's query with a schema. A parameter given twice is refused (which one would count
 * is a guess), as is any the schema does not know (the schemas are strict).
 */
export function parseQuery<T extends z.ZodType>(
  url: URL,
  schema: T,
): { ok: true; data: z.output<T> } | { ok: false; message: string } {
  const raw: Record<string, string> = Object.create(null);
  for (const [k, v] of url.searchParams) {
    if (k in raw) return { ok: false, message: `${k}: given more than once` };
    raw[k] = v;
  }
  const q = schema.safeParse({ ...raw });
  if (!q.success) {
    const i = q.error.issues[0];
    return { ok: false, message: `${formatPath(i.path)}: ${i.message}` };
  }
  return { ok: true, data: q.data };
}
