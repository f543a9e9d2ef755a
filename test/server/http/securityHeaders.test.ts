import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIST } from '../../../server/clientBuild';
import { contentSecurityPolicy, securityHeaders } from '../../../server/http/securityHeaders';
import { type AppServer, startAppServer } from '../../helpers/appServer';

/** The CSP as a map of directive -> values. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('the Content-Security-Policy', () => {
  it('allows scripts from the server only: no inline script, no eval (WebAssembly compiles, for the model decoder)', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('font-src')).toEqual(["'self'", 'data:']);
  });

  it('lets no page frame the twin by default', () => {
    expect(directives(contentSecurityPolicy()).get('frame-ancestors')).toEqual(["'none'"]);
    expect(securityHeaders()['x-frame-options']).toBe('DENY');
  });

  it('lists the --frame-ancestors origins, and drops X-Frame-Options (it cannot list origins)', () => {
    const h = securityHeaders({ frameAncestors: ['https://portal.example', 'http://10.0.0.5:8080'] });
    expect(directives(h['content-security-policy']).get('frame-ancestors')).toEqual([
      'https://portal.example',
      'http://10.0.0.5:8080',
    ]);
    expect(h['x-frame-options']).toBeUndefined();
  });

  it('connects to the server itself and to each allowed origin over HTTP and WebSocket', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual(["'self'"]);
    const d = directives(
      contentSecurityPolicy({ allowOrigins: ['https://hmi.example', 'http://10.0.0.2:5173'] }),
    );
    expect(d.get('connect-src')).toEqual([
      "'self'",
      'https://hmi.example',
      'wss://hmi.example',
      'http://10.0.0.2:5173',
      'ws://10.0.0.2:5173',
    ]);
  });

  it('relaxes scripts and WebSockets only for the Vite dev server', () => {
    const d = directives(contentSecurityPolicy({ dev: true }));
    expect(d.get('script-src')).toContain("'unsafe-inline'");
    expect(d.get('style-src')).toContain("'unsafe-inline'");
    expect(d.get('script-src')).not.toContain("'unsafe-eval'");
    expect(d.get('connect-src')).toEqual(expect.arrayContaining(['ws:', 'wss:']));
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('sends HSTS only when the server itself speaks TLS', () => {
    expect(securityHeaders()['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ tls: true })['strict-transport-security']).toBe('max-age=31536000');
  });
});

describe('the built client', () => {
  it('has no inline script or style in index.html (the policy allows neither)', () => {
    const html = readFileSync(join(CLIENT_DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
  });
});

describe('security headers on every HTTP response', () => {
  let server: AppServer;
  let asset: string;

  beforeAll(async () => {
    server = await startAppServer({ frameAncestors: ['https://portal.example'] });
    const html = readFileSync(join(CLIENT_DIST, 'index.html'), 'utf8');
    asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
    expect(asset).not.toBe('');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  const cases: [string, string, number][] = [
    ['the operator console', '/', 200],
    ['the showcase', '/showcase', 200],
    ['the trainer console', '/trainer', 200],
    ['an API route refusing a missing token', '/api/session', 401],
    ['an unknown API route', '/api/no-such-route', 404],
    ['the health check', '/healthz', 200],
    ['Socket.IO polling', '/socket.io/?EIO=4&transport=polling', 200],
  ];
  for (const [what, path, status] of cases)
    it(`sends them on ${what} (${path})`, async () => {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(status);
      expectSecurityHeaders(res.headers);
    });

  it('sends them on a static asset', async () => {
    const res = await fetch(`${server.url}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expectSecurityHeaders(res.headers);
  });

  it('sends them on a refused method (405) and a malformed URL (400)', async () => {
    const res = await fetch(`${server.url}/showcase`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expectSecurityHeaders(res.headers);
    // fetch would normalize the path; node:http sends it as written.
    const bad = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(`${server.url}/`, { path: '//' }, resolve).on('error', reject),
    );
    bad.resume();
    expect(bad.statusCode).toBe(400);
    expectSecurityHeaders(new Headers(bad.headers as Record<string, string>));
  });

  it('lists the configured frame ancestors in the policy it sends', async () => {
    const res = await fetch(`${server.url}/showcase`);
    const d = directives(res.headers.get('content-security-policy') ?? '');
    expect(d.get('frame-ancestors')).toEqual(['https://portal.example']);
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  function expectSecurityHeaders(h: Headers): void {
    const csp = h.get('content-security-policy') ?? '';
    expect(directives(csp).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp).toContain('frame-ancestors');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('permissions-policy')).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\).*usb=\(\)/);
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
    // Plain HTTP: no HSTS (browsers ignore it there).
    expect(h.get('strict-transport-security')).toBeNull();
  }
});
