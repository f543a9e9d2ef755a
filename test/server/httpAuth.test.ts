import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, LoginResponse } from '../../protocol';
import { inMemoryAlarms } from '../../server/alarms/setup';
import { openAuth } from '../../server/auth/authService';
import type { AuditActor, AuthService } from '../../server/auth/types';
import { createHttpHandler } from '../../server/http/httpHandler';
import { DEFAULT_PLANT, loadPlantFile } from '../../server/plantFile';

const PW = 'http-test-pass';
const BY: AuditActor = { user: 'setup', role: null, source: 'test' };
const T0 = 1_800_000_000_000;
const layout = (() => {
  const r = loadPlantFile(DEFAULT_PLANT);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
})();

interface Running {
  url: string;
  port: number;
  auth: AuthService;
  clock: { t: number };
  server: Server;
}
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.server.closeAllConnections();
    await new Promise((res) => r.server.close(res));
    r.auth.close();
  }
});

/** The real HTTP handler on a free port, with three users and a clock the test moves. */
async function start(opts: { apiRate?: { perS: number; burst: number } } = {}): Promise<Running> {
  const clock = { t: T0 };
  const auth = openAuth({
    dataDir: mkdtempSync(join(tmpdir(), 'plant-http-')),
    now: () => clock.t,
    scryptLogN: 10,
  });
  await auth.addUser('ada', 'admin', PW, BY);
  await auth.addUser('otto', 'operator', PW, BY);
  await auth.addUser('vera', 'viewer', PW, BY);
  const server = createServer(
    createHttpHandler({
      health: () => ({ status: 'ok', equipment: 1, clients: 0, uptimeS: 0 }),
      clientDir: null,
      alarms: inMemoryAlarms(layout),
      auth,
      now: () => clock.t,
      apiRate: opts.apiRate ?? { perS: 1000, burst: 1000 },
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const r = { url: `http://127.0.0.1:${port}`, port, auth, clock, server };
  running.push(r);
  return r;
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function login(s: Running, username: string, password = PW) {
  const res = await fetch(`${s.url}/api/login`, json({ username, password }));
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function tokenOf(s: Running, username: string): Promise<string> {
  const r = await login(s, username);
  expect(r.status).toBe(200);
  return (r.body as LoginResponse).token;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A raw HTTP request, for what fetch will not send: a chosen source address, chunked bodies. */
function raw(
  s: Running,
  opts: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    chunks?: Buffer[];
    localAddress?: string;
  },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
        localAddress: opts.localAddress,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

describe('POST /api/login', () => {
  it('answers a token, the user, the role and the expiry; the token opens GET /api/session', async () => {
    const s = await start();
    const r = await login(s, 'OTTO');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body).toMatchObject({
      ok: true,
      user: 'otto',
      role: 'operator',
      expiresAt: T0 + 12 * 3600_000,
      locale: null,
    });
    const session = await fetch(`${s.url}/api/session`, bearer(r.body.token));
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({
      ok: true,
      user: 'otto',
      role: 'operator',
      expiresAt: T0 + 12 * 3600_000,
      locale: null,
    });
  });

  it('answers 401 with one message for a wrong password and for an unknown user', async () => {
    const s = await start();
    const wrong = await login(s, 'otto', 'not-the-password');
    const unknown = await login(s, 'nobody', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect(wrong.body).toEqual({
      ok: false,
      code: 'UNAUTHENTICATED',
      message: 'wrong user name or password',
    });
    expect(unknown).toMatchObject({ status: 401, body: wrong.body });
  });

  it('answers 415 to a body that is not declared as JSON', async () => {
    const s = await start();
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
      const res = await fetch(`${s.url}/api/login`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: JSON.stringify({ username: 'otto', password: PW }),
      });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID' });
    }
    const withCharset = await fetch(`${s.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ username: 'otto', password: PW }),
    });
    expect(withCharset.status).toBe(200);
  });

  it('answers 413 to a body over 4 KiB, declared or streamed, and stays up', async () => {
    const s = await start();
    const big = JSON.stringify({ username: 'otto', password: 'x'.repeat(5000) });
    const declared = await fetch(`${s.url}/api/login`, { ...json({}), body: big });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ ok: false, code: 'INVALID' });
    // Chunked, no Content-Length: refused once the running total passes the limit.
    const streamed = await raw(s, {
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: Array.from({ length: 6 }, () => Buffer.alloc(1024, 0x20)),
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ code: 'INVALID' });
    expect((await login(s, 'otto')).status).toBe(200);
  });

  it('answers 400 to malformed JSON and to any other shape, __proto__ keys included', async () => {
    const s = await start();
    const bodies = [
      '{"username":"otto",',
      '',
      'null',
      '[]',
      '"otto"',
      '{"username":"otto"}',
      '{"username":"otto","password":42}',
      `{"username":"otto","password":"${PW}","role":"admin"}`,
      `{"username":"otto","password":"${PW}","__proto__":{"admin":true}}`,
      `{"__proto__":{"username":"otto","password":"${PW}"}}`,
      `{"username":{"$ne":null},"password":"${PW}"}`,
      `{"username":"otto","password":"${'x'.repeat(1001)}"}`,
    ];
    for (const body of bodies) {
      const res = await fetch(`${s.url}/api/login`, { ...json({}), body });
      expect(res.status, body).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID', message: expect.any(String) });
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('throttles failed logins with 429, retryAfterMs and Retry-After, without looking at the password', async () => {
    const s = await start();
    for (let i = 0; i < 5; i++) expect((await login(s, 'otto', `wrong-password-${i}`)).status).toBe(401);
    const r = await login(s, 'otto'); // the right password, too late
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterMs: 30_000 });
    expect(r.headers.get('retry-after')).toBe('30');
    s.clock.t += 30_000;
    expect((await login(s, 'otto')).status).toBe(200);
  });

  it('throttles by the connection address and ignores X-Forwarded-For', async () => {
    const s = await start();
    const attempt = (name: string, from: string, xff: string) =>
      raw(s, {
        method: 'POST',
        path: '/api/login',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
        chunks: [Buffer.from(JSON.stringify({ username: name, password: 'wrong-password' }))],
      });
    for (let i = 0; i < 20; i++)
      expect((await attempt(`user${i}`, '127.0.0.3', `10.0.0.${i}`)).status).toBe(401);
    const blocked = await attempt('otto', '127.0.0.3', '10.9.9.9');
    expect(blocked.status).toBe(429);
    // Another address is not affected.
    expect((await attempt('user0', '127.0.0.4', '10.9.9.9')).status).toBe(401);
    const [entry] = s.auth.audit.query({ action: 'login-failed', limit: 1 });
    expect(entry.source).toBe('127.0.0.4');
  });

  it('only takes POST', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/api/login`);
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID' });
  });
});

describe('POST /api/logout and GET /api/session', () => {
  it('ends the session: the token is refused afterwards', async () => {
    const s = await start();
    const token = await tokenOf(s, 'vera');
    const out = await fetch(`${s.url}/api/logout`, { method: 'POST', ...bearer(token) });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ ok: true });
    const session = await fetch(`${s.url}/api/session`, bearer(token));
    expect(session.status).toBe(401);
    expect(await session.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect((await fetch(`${s.url}/api/logout`, { method: 'POST', ...bearer(token) })).status).toBe(401);
  });

  it('answers 401 without a token, with a bad or expired one, and to a token in the query string', async () => {
    const s = await start();
    const token = await tokenOf(s, 'vera');
    const cases: [string, RequestInit][] = [
      ['/api/session', {}],
      ['/api/session', bearer('garbage')],
      ['/api/session', { headers: { authorization: `Basic ${token}` } }],
      [`/api/session?token=${token}`, {}],
      [`/api/session?access_token=${token}`, {}],
      ['/api/logout', { method: 'POST' }],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(`${s.url}${path}`, init);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    }
    s.clock.t += 12 * 3600_000;
    const expired = await fetch(`${s.url}/api/session`, bearer(token));
    expect(expired.status).toBe(401);
    expect((await expired.json()).message).toMatch(/expired/);
  });
});

describe('the alarm API', () => {
  it('needs a token of any role; /healthz stays public', async () => {
    const s = await start();
    const token = await tokenOf(s, 'vera');
    for (const path of ['/api/alarms', '/api/alarms/history?limit=5', '/api/alarms/stats']) {
      const anon = await fetch(`${s.url}${path}`);
      expect(anon.status, path).toBe(401);
      expect(await anon.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      expect((await fetch(`${s.url}${path}`, bearer('x.y'))).status, path).toBe(401);
      const ok = await fetch(`${s.url}${path}`, bearer(token));
      expect(ok.status, path).toBe(200);
      expect(await ok.json()).toMatchObject({ ok: true });
    }
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('still validates history queries (time parsing shared with the audit)', async () => {
    const s = await start();
    const token = await tokenOf(s, 'vera');
    const ok = await fetch(`${s.url}/api/alarms/history?from=2020-01-01T00:00:00Z&to=${T0}`, bearer(token));
    expect(ok.status).toBe(200);
    for (const q of ['from=yesterday', 'limit=0', 'limit=2&limit=3', 'nope=1']) {
      const res = await fetch(`${s.url}/api/alarms/history?${q}`, bearer(token));
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID' });
    }
  });
});

describe('GET /api/audit', () => {
  it('is for admins: 401 without a token, 403 FORBIDDEN for other roles', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/api/audit`)).status).toBe(401);
    for (const name of ['vera', 'otto']) {
      const res = await fetch(`${s.url}/api/audit`, bearer(await tokenOf(s, name)));
      expect(res.status, name).toBe(403);
      expect(await res.json()).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    const admin = await fetch(`${s.url}/api/audit`, bearer(await tokenOf(s, 'ada')));
    expect(admin.status).toBe(200);
    const body = (await admin.json()) as { ok: true; entries: AuditEntry[] };
    expect(body.ok).toBe(true);
    expect(body.entries[0]).toMatchObject({
      user: 'ada',
      action: 'login',
      source: '127.0.0.1',
      result: 'ok',
    });
  });

  it('filters by user, action (exact or prefix), equipment, time (ms or ISO) and limit', async () => {
    const s = await start();
    const a = s.auth.audit;
    const base = { user: 'otto', role: 'operator' as const, source: '10.0.0.1' };
    a.record({ ...base, at: T0 + 1000, action: 'command:stop', target: 'RB-1', result: 'ok' });
    a.record({
      ...base,
      at: T0 + 2000,
      action: 'command:start',
      target: 'RB-2',
      result: 'refused',
      code: 'FORBIDDEN',
    });
    a.record({ ...base, at: T0 + 3000, action: 'alarm:ack', target: 'RB-1', result: 'ok' });
    s.clock.t = T0 + 10_000;
    const token = await tokenOf(s, 'ada');
    const get = async (q: string) => {
      const res = await fetch(`${s.url}/api/audit?${q}`, bearer(token));
      expect(res.status, q).toBe(200);
      return ((await res.json()) as { entries: AuditEntry[] }).entries.map((e) =>
        `${e.action} ${e.target ?? ''}`.trim(),
      );
    };
    expect(await get('user=otto')).toEqual(['alarm:ack RB-1', 'command:start RB-2', 'command:stop RB-1']);
    expect(await get('action=command:*')).toEqual(['command:start RB-2', 'command:stop RB-1']);
    expect(await get('action=alarm:ack')).toEqual(['alarm:ack RB-1']);
    expect(await get('equipment=RB-1')).toEqual(['alarm:ack RB-1', 'command:stop RB-1']);
    expect(await get(`from=${T0 + 1500}&to=${new Date(T0 + 2500).toISOString()}`)).toEqual([
      'command:start RB-2',
    ]);
    expect(await get('user=otto&limit=1')).toEqual(['alarm:ack RB-1']);
    expect(await get('user=ada')).toEqual(['login']);
  });

  it('answers 400 to repeated, unknown or out-of-range parameters', async () => {
    const s = await start();
    const token = await tokenOf(s, 'ada');
    for (const q of [
      'user=a&user=b',
      'limit=0',
      'limit=1001',
      'limit=ten',
      'from=soon',
      'x=1',
      'action=*',
      'action=a*b',
      '__proto__=1',
    ]) {
      const res = await fetch(`${s.url}/api/audit?${q}`, bearer(token));
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID' });
    }
    const max = await fetch(`${s.url}/api/audit?limit=1000`, bearer(token));
    expect(max.status).toBe(200);
  });
});

describe('API hardening', () => {
  it('rate-limits /api/* per user, or per address without a token, with 429 and retryAfterMs', async () => {
    const s = await start({ apiRate: { perS: 1, burst: 3 } });
    // The logins spend the address's budget: 3 of 3.
    const vera = await tokenOf(s, 'vera');
    const otto = await tokenOf(s, 'otto');
    const ada = await tokenOf(s, 'ada');
    const anon = await fetch(`${s.url}/api/alarms`);
    expect(anon.status).toBe(429);
    const body = await anon.json();
    expect(body).toMatchObject({ ok: false, code: 'RATE_LIMITED', retryAfterMs: 1000 });
    expect(anon.headers.get('retry-after')).toBe('1');
    for (let i = 0; i < 3; i++) expect((await fetch(`${s.url}/api/alarms`, bearer(vera))).status).toBe(200);
    expect((await fetch(`${s.url}/api/alarms`, bearer(vera))).status).toBe(429);
    // Each user has their own budget.
    expect((await fetch(`${s.url}/api/alarms`, bearer(otto))).status).toBe(200);
    expect((await fetch(`${s.url}/api/session`, bearer(ada))).status).toBe(200);
    // Health is not an API route: never limited.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    s.clock.t += 1000;
    expect((await fetch(`${s.url}/api/alarms`, bearer(vera))).status).toBe(200);
  });

  it('answers unknown API routes with 404 NOT_FOUND', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/api/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('survives hostile requests and keeps answering', async () => {
    const s = await start();
    const token = await tokenOf(s, 'ada');
    const hostile: Parameters<typeof raw>[1][] = [
      { path: '/api/session', headers: { authorization: `Bearer ${'A'.repeat(8000)}` } },
      { path: '/api/session', headers: { authorization: 'Bearer' } },
      { path: '/api/session', headers: { authorization: 'Bearer a.b.c.d' } },
      { path: '/api/audit?from=%ZZ', headers: { authorization: `Bearer ${token}` } },
      { path: '/api/audit?user=%00%01', headers: { authorization: `Bearer ${token}` } },
      {
        method: 'POST',
        path: '/api/login',
        headers: { 'content-type': 'application/json' },
        chunks: [Buffer.from([0xff, 0xfe, 0x00])],
      },
      { method: 'DELETE', path: '/api/audit' },
      { path: '//api/../api/session' },
    ];
    for (const h of hostile) {
      const r = await raw(s, h);
      expect(r.status, h.path).toBeGreaterThanOrEqual(400);
      expect(r.status, h.path).toBeLessThan(500);
      expect(JSON.parse(r.body), h.path).toMatchObject({ ok: false, code: expect.any(String) });
    }
    // What Node's own parser refuses never reaches the handler; it answers 400 itself.
    const unparsable = await raw(s, {
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json', 'content-length': 'abc' },
    });
    expect(unparsable.status).toBe(400);
    expect((await fetch(`${s.url}/api/session`, bearer(token))).status).toBe(200);
  });

  it('answers 500 INTERNAL, not a crash, when the auth database is gone', async () => {
    const s = await start();
    const token = await tokenOf(s, 'vera');
    s.auth.close();
    const res = await fetch(`${s.url}/api/session`, bearer(token));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ ok: false, code: 'INTERNAL', message: 'internal error' });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });
});
