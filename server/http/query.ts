import type { z } from 'zod';
import { formatPath } from '../../protocol';

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
