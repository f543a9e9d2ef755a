import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer as createPlainServer,
  type Server as HttpServer,
  type RequestListener,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';

/** A certificate (chain) and its private key, PEM, as read at start. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export type TlsResult = { ok: true; tls: TlsFiles } | { ok: false; errors: string[] };

function read(flag: string, path: string, errors: string[]): Buffer | null {
  try {
    return readFileSync(path);
  } catch (err) {
    errors.push(`${flag}: cannot read ${path}: ${(err as Error).message}`);
    return null;
  }
}

/**
 * Reads and checks `--tls-cert` and `--tls-key` before the server listens: both readable, a PEM
 * certificate, an unencrypted PEM private key, and the key belongs to the certificate. Never
 * throws; every message names its flag.
 */
export function readTlsFiles(certPath: string, keyPath: string): TlsResult {
  const errors: string[] = [];
  const cert = read('--tls-cert', certPath, errors);
  const key = read('--tls-key', keyPath, errors);
  let x509: X509Certificate | null = null;
  let privateKey: KeyObject | null = null;
  if (cert) {
    try {
      // The first certificate of a chain file is the server's own.
      x509 = new X509Certificate(cert);
    } catch {
      errors.push(`--tls-cert: ${certPath} is not a PEM certificate`);
    }
  }
  if (key) {
    try {
      privateKey = createPrivateKey(key);
    } catch {
      errors.push(`--tls-key: ${keyPath} is not an unencrypted PEM private key`);
    }
  }
  if (x509 && privateKey && !x509.checkPrivateKey(privateKey))
    errors.push(`--tls-key: ${keyPath} is not the private key of the certificate in ${certPath}`);
  if (errors.length || !cert || !key) return { ok: false, errors };
  return { ok: true, tls: { cert, key } };
}

/**
 * The server's listener: node:https with `tls`, else plain node:http (behind a TLS-terminating
 * proxy, or on a trusted network). Socket.IO attaches to either the same way.
 */
export function createHttpServer(tls: TlsFiles | null | undefined, handler: RequestListener): HttpServer {
  return tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createPlainServer(handler);
}
