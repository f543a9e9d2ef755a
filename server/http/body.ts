import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sendRefusal } from './json';

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
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooBig = { ok: false, status: 413, message: `the body is limited to ${maxBytes} bytes` } as const;
  if (declared > maxBytes) return Promise.resolve(tooBig);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onClose);
      if (!r.ok && r.status !== 0) req.pause(); // stop reading what is left
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooBig);
      else chunks.push(chunk);
    };
    const onEnd = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        finish({ ok: true, json: JSON.parse(text) });
      } catch {
        finish({ ok: false, status: 400, message: 'the body is not valid JSON' });
      }
    };
    const onGone = () => finish({ ok: false, status: 0, message: 'the client went away' });
    const onClose = () => {
      if (!req.complete) onGone();
    };
    const timer = setTimeout(
      () => finish({ ok: false, status: 408, message: `the body took longer than ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onClose);
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
