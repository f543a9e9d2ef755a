import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sendRefusal } from './json';
import { readRawBody } from './rawBody';

export type BodyResult =
  | { ok: true; json: unknown }
  | { ok: false; status: 400 | 408 | 413 | 415; message: string }
  /** The client went away: there is nobody to answer. */
  | { ok: false; status: 0; message: string };

/** How long a client may take to send a body, ms (a slow trickle must not hold a request open). */
export const BODY_TIMEOUT_MS = 10_000;

/**
 * Reads a JSON request body of at most `maxBytes`. Refuses, without reading further, a body that is
 * not `application/json` (415), that says or turns out to be too big (413), or that is not JSON
 * (400). Never rejects. After a 413 the caller should answer with `connection: close`, since the
 * rest of the body is never read.
 */
export function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs = BODY_TIMEOUT_MS,
): Promise<BodyResult> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json')
    return Promise.resolve({ ok: false, status: 415, message: 'expected Content-Type: application/json' });
  return readRawBody(req, maxBytes, timeoutMs).then((r): BodyResult => {
    if (!r.ok) return r;
    try {
      return {
        ok: true,
        json: JSON.parse(
          Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength).toString('utf8'),
        ),
      };
    } catch {
      return { ok: false, status: 400, message: 'the body is not valid JSON' };
    }
  });
}

/**
 * Reads a JSON body of at most `maxBytes` and checks it with `schema`. Answers the refusal itself
 * (415/413/408/400 INVALID, closing the connection when the rest of the body was never read) and
 * resolves to null; otherwise resolves to the parsed body. `invalid` replaces the schema's message.
 */
export async function readValidBody<S extends z.ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
  schema: S,
  invalid?: string,
): Promise<z.output<S> | null> {
  const body = await readJsonBody(req, maxBytes);
  if (!body.ok) {
    if (body.status !== 0) {
      const headers: Record<string, string> = body.status === 400 ? {} : { connection: 'close' };
      sendRefusal(res, body.status, 'INVALID', body.message, { headers });
    }
    return null;
  }
  const parsed = schema.safeParse(body.json);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  const where = i?.path.length ? `${i.path.join('.')}: ` : '';
  sendRefusal(res, 400, 'INVALID', invalid ?? `${where}${i?.message ?? 'invalid body'}`);
  return null;
}
