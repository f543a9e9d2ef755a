import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../protocol';
import { inMemoryAlarms } from '../../server/alarms/setup';
import { openAuth } from '../../server/auth/authService';
import type { AuditActor, AuthService } from '../../server/auth/types';
import { createHttpHandler } from '../../server/http/httpHandler';
import { DEFAULT_PLANT, loadPlantFile } from '../../server/plantFile';
import { DB_FILE } from '../../server/store/alarmStore';

const PW = 'locale-test-pass';
const BY: AuditActor = { user: 'setup', role: null, source: 'test' };
const layout = (() => {
  const r = loadPlantFile(DEFAULT_PLANT);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
})();

interface Running {
  url: string;
  auth: AuthService;
  server: Server;
  dir: string;
}
const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.server.closeAllConnections();
    await new Promise((res) => r.server.close(res));
    r.auth.close();
  }
});

/** The real HTTP handler on a free port over a real database, with an operator and a viewer. */
async function start(dir = mkdtempSync(join(tmpdir(), 'plant-locale-'))): Promise<Running> {
  const auth = openAuth({ dataDir: dir, scryptLogN: 10 });
  if (auth.listUsers().length === 0) {
    await auth.addUser('otto', 'operator', PW, BY);
    await auth.addUser('vera', 'viewer', PW, BY);
  }
  const server = createServer(
    createHttpHandler({
      health: () => ({ status: 'ok', equipment: 1, clients: 0, uptimeS: 0 }),
      clientDir: null,
      alarms: inMemoryAlarms(layout),
      auth,
      now: Date.now,
      apiRate: { perS: 1000, burst: 1000 },
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const r = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth, server, dir };
  running.push(r);
  return r;
}

async function login(s: Running, username: string): Promise<LoginResponse> {
  const res = await fetch(`${s.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PW }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as LoginResponse;
}

async function putLocale(s: Running, token: string | null, body: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${s.url}/api/me/locale`, { method: 'PUT', headers, body });
  return { status: res.status, body: await res.json() };
}

describe('PUT /api/me/locale', () => {
  it('remembers the language per user: in the login and session answers, across a restart', async () => {
    const s = await start();
    const otto = await login(s, 'otto');
    expect(otto.locale).toBeNull();
    expect(await putLocale(s, otto.token, '{"locale":"zh-CN"}')).toEqual({
      status: 200,
      body: { ok: true, locale: 'zh-CN' },
    });
    const session = await fetch(`${s.url}/api/session`, {
      headers: { authorization: `Bearer ${otto.token}` },
    });
    expect(await session.json()).toMatchObject({ user: 'otto', locale: 'zh-CN' });
    expect((await login(s, 'vera')).locale).toBeNull();
    const audit = s.auth.audit.query({ action: 'user:locale', limit: 10 });
    expect(audit).toEqual([
      expect.objectContaining({
        user: 'otto',
        target: 'otto',
        result: 'ok',
        params: { from: null, to: 'zh-CN' },
      }),
    ]);
    // The same language again changes nothing and writes no audit entry.
    expect((await putLocale(s, otto.token, '{"locale":"zh-CN"}')).status).toBe(200);
    expect(s.auth.audit.query({ action: 'user:locale', limit: 10 })).toHaveLength(1);
    s.server.closeAllConnections();
    await new Promise((res) => s.server.close(res));
    s.auth.close();
    running.splice(running.indexOf(s), 1);
    const again = await start(s.dir);
    expect((await login(again, 'otto')).locale).toBe('zh-CN');
  });

  it('refuses a bad body or language with 400 and changes nothing', async () => {
    const s = await start();
    const { token } = await login(s, 'vera');
    for (const body of ['{"locale":"fr"}', '{"locale":"zh-CN","x":1}', '{}', '"zh-CN"', 'not json']) {
      const r = await putLocale(s, token, body);
      expect(r.status, body).toBe(400);
      expect(r.body).toMatchObject({ ok: false, code: 'INVALID' });
    }
    expect(s.auth.getLocale('vera')).toBeNull();
    expect(s.auth.audit.query({ action: 'user:locale', limit: 10 })).toEqual([]);
  });

  it('refuses a request without a login (401) and other methods (405)', async () => {
    const s = await start();
    expect(await putLocale(s, null, '{"locale":"en"}')).toMatchObject({
      status: 401,
      body: { ok: false, code: 'UNAUTHENTICATED' },
    });
    const { token } = await login(s, 'otto');
    const get = await fetch(`${s.url}/api/me/locale`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('PUT');
    expect(s.auth.getLocale('otto')).toBeNull();
  });
});

describe('the users.locale migration', () => {
  it('adds the column to a database made before it existed, keeping its users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plant-locale-old-'));
    const first = openAuth({ dataDir: dir, scryptLogN: 10 });
    await first.addUser('otto', 'operator', PW, BY);
    first.close();
    // Back to the old shape: the users table without `locale`.
    const db = new Database(join(dir, DB_FILE));
    db.exec('ALTER TABLE users DROP COLUMN locale');
    db.close();
    const s = await start(dir);
    const otto = await login(s, 'otto');
    expect(otto.locale).toBeNull();
    expect((await putLocale(s, otto.token, '{"locale":"en"}')).status).toBe(200);
    expect(s.auth.getLocale('otto')).toBe('en');
  });
});
