import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlantSnapshot } from '../../../protocol';
import { ROOT } from '../../../server/clientBuild';
import { readTlsFiles, type TlsFiles } from '../../../server/http/tls';
import { startTestServer, type TestClient, type TestServer, tempDataDir } from '../../helpers/server';

/** A self-signed certificate for localhost and 127.0.0.1, valid one day, made by openssl. */
function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
  } catch (err) {
    // node:crypto cannot issue X.509 certificates: without openssl this test cannot run at all.
    throw new Error(
      `openssl could not make a test certificate (is it installed?): ${(err as Error).message}`,
    );
  }
  return { cert, key };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request that trusts only `ca`. */
function fetchTls(url: string, ca: Buffer, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = request(
      url,
      { ca, method: init.method ?? 'GET', headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let dir: string;
let paths: { cert: string; key: string };
let files: TlsFiles;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plant-tls-'));
  paths = makeCertificate(dir);
  files = { cert: readFileSync(paths.cert), key: readFileSync(paths.key) };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('reading --tls-cert and --tls-key', () => {
  it('accepts a certificate with its own key', () => {
    const r = readTlsFiles(paths.cert, paths.key);
    expect(r.ok).toBe(true);
  });

  it('names the flag of a file it cannot read', () => {
    const r = readTlsFiles(join(dir, 'missing.pem'), paths.key);
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.errors).toEqual([
      expect.stringMatching(/^--tls-cert: cannot read .*missing\.pem: ENOENT/),
    ]);
  });

  it('refuses a certificate file that holds no certificate', () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const r = readTlsFiles(junk, paths.key);
    expect(!r.ok && r.errors).toEqual([`--tls-cert: ${junk} is not a PEM certificate`]);
  });

  it('refuses a key that is not a private key, or not the certificate’s', () => {
    const notKey = readTlsFiles(paths.cert, paths.cert);
    expect(!notKey.ok && notKey.errors).toEqual([
      `--tls-key: ${paths.cert} is not an unencrypted PEM private key`,
    ]);
    const other = join(dir, 'other-key.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(other, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const wrong = readTlsFiles(paths.cert, other);
    expect(!wrong.ok && wrong.errors).toEqual([
      `--tls-key: ${other} is not the private key of the certificate in ${paths.cert}`,
    ]);
  });
});

describe('built-in HTTPS', () => {
  let server: TestServer;
  let ca: Buffer;

  beforeAll(async () => {
    ca = files.cert;
    server = await startTestServer({ tls: files });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers over TLS with HSTS and the security headers', async () => {
    expect(server.url).toMatch(/^https:\/\//);
    const res = await fetchTls(`${server.url}/healthz`, ca);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('lets a real socket.io-client log in and stream the plant over wss', async () => {
    const login = await fetchTls(`${server.url}/api/login`, ca, {
      method: 'POST',
      body: server.users.viewer,
    });
    expect(login.status).toBe(200);
    expect(login.headers['strict-transport-security']).toBe('max-age=31536000');
    const { token } = JSON.parse(login.body) as { token: string };
    const client: TestClient = io(server.url, {
      ca: ca.toString(),
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    try {
      const snapshot = await new Promise<PlantSnapshot>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no snapshot over wss')), 15_000);
        client.once('plant:snapshot', (s) => {
          clearTimeout(timer);
          resolve(s);
        });
        client.once('connect_error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
      expect(snapshot.plant.equipment.length).toBeGreaterThan(0);
      expect(client.io.engine.transport.name).toBe('websocket');
      const frame = await new Promise<unknown>((resolve) => client.once('telemetry:frame', resolve));
      // Binary over the wire (node's client hands it over as a Buffer).
      expect((frame as Uint8Array).byteLength).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  }, 30_000);

  it('refuses a socket.io-client that does not trust the certificate', async () => {
    const client = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    try {
      const err = await new Promise<Error>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer')), 15_000);
        client.once('connect', () => reject(new Error('connected without trusting the certificate')));
        client.once('connect_error', (e) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
      expect(err).toBeInstanceOf(Error);
    } finally {
      client.close();
    }
  }, 30_000);
});

describe('server/main.ts with --tls-cert and --tls-key', () => {
  const children: ChildProcess[] = [];
  /** Starts main in its own process group (tsx runs the server in a child of its own). */
  const startMain = (args: string[]) => {
    const env = { ...process.env };
    for (const k of ['PORT', 'HOST', 'DATA_DIR', 'TLS_CERT', 'TLS_KEY', 'FRAME_ANCESTORS', 'LOG_LEVEL'])
      delete env[k];
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [
        'server/main.ts',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data',
        tempDataDir(),
        '--log-level',
        'warn',
        '--no-record',
        ...args,
      ],
      { cwd: ROOT, env, detached: true },
    );
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    return { child, output: () => out };
  };

  afterAll(() => {
    for (const c of children)
      if (c.pid && c.exitCode === null && c.signalCode === null)
        try {
          process.kill(-c.pid, 'SIGKILL');
        } catch {}
  });

  it('stops at start with the flag named when the certificate file is bad', async () => {
    const { child, output } = startMain(['--tls-cert', join(dir, 'missing.pem'), '--tls-key', paths.key]);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output()).toContain('Cannot serve HTTPS:');
    expect(output()).toMatch(/--tls-cert: cannot read .*missing\.pem/);
    expect(output()).not.toContain('Plant Twin listening');
  }, 60_000);

  it('prints an https:// address and serves the plant over TLS', async () => {
    const { child, output } = startMain(['--tls-cert', paths.cert, '--tls-key', paths.key]);
    let port: string | undefined;
    for (let i = 0; i < 600 && !port && child.exitCode === null; i++) {
      port = /Plant Twin listening on https:\/\/localhost:(\d+)\n/.exec(output())?.[1];
      if (!port) await new Promise((r) => setTimeout(r, 100));
    }
    expect(port, output()).toBeDefined();
    const res = await fetchTls(`https://localhost:${port}/healthz`, files.cert);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  }, 90_000);
});
