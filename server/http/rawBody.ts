import type { IncomingMessage } from 'node:http';

export type RawBodyResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; status: 408 | 413; message: string }
  /** The client went away: there is nobody to answer. */
  | { ok: false; status: 0; message: string };

/**
 * Reads a binary request body of at most `maxBytes`, refusing (413) a body that says or turns out
 * to be bigger without reading further (the caller answers with `connection: close`). Never rejects.
 */
export function readRawBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<RawBodyResult> {
  const tooBig = { ok: false, status: 413, message: `the body is limited to ${maxBytes} bytes` } as const;
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(tooBig);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: RawBodyResult) => {
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
    const onEnd = () => finish({ ok: true, bytes: new Uint8Array(Buffer.concat(chunks)) });
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
