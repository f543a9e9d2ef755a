import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../../protocol';

/** Sends a JSON body with the given status (and any extra headers). Never cached. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Sends a refusal `{ ok: false, code, message }` (protocol's Refusal). RATE_LIMITED answers carry
 * `retryAfterMs` in the body and `Retry-After` (whole seconds) as a header; 401 answers name the
 * scheme in `WWW-Authenticate`.
 */
export function sendRefusal(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  opts: { retryAfterMs?: number; headers?: Record<string, string> } = {},
): void {
  const headers: Record<string, string> = { ...opts.headers };
  const body: { ok: false; code: ErrorCode; message: string; retryAfterMs?: number } = {
    ok: false,
    code,
    message,
  };
  if (opts.retryAfterMs !== undefined) {
    body.retryAfterMs = opts.retryAfterMs;
    headers['retry-after'] = String(Math.max(1, Math.ceil(opts.retryAfterMs / 1000)));
  }
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  sendJson(res, status, body, headers);
}
