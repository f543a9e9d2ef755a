import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEnded } from '../../../protocol';
import { openAuth } from '../../../server/auth/authService';
import {
  connectClient,
  handshakeRefusal,
  nextEvent,
  randomPassword,
  sleep,
  startTestServer,
  TEST_ACTOR,
  type TestClient,
  type TestServer,
} from '../../helpers/server';
import { send } from './support';

/** Login sessions last this long, ms (the clock below moves past it). */
const TTL_MS = 10 * 60_000;
/** The promise: a revoked or expired session's sockets close within a second. */
const WITHIN_MS = 1000;

let server: TestServer;
/** Added to the server's clock, ms. */
let offset = 0;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ sessionTtlMs: TTL_MS, now: () => Date.now() + offset });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

/** A connected client with `token`, once its first snapshot arrived. */
async function connected(token: string): Promise<TestClient> {
  const c = connectClient(server.url, { token });
  clients.push(c);
  await nextEvent(c, 'plant:snapshot');
  return c;
}

/** Resolves with `session:ended` and the disconnect that follows, and how long they took, ms. */
function ended(
  c: TestClient,
  since: () => number,
): Promise<{ info: SessionEnded; ms: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket was not closed')), 5000);
    c.once('session:ended', (info) => {
      c.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve({ info, ms: Date.now() - since(), reason });
      });
    });
  });
}

/** A new user of `role` with a known password. */
async function newUser(name: string, role: 'operator' | 'viewer') {
  const password = randomPassword();
  expect(await server.auth.addUser(name, role, password, TEST_ACTOR)).toEqual({ ok: true });
  return password;
}

describe('ending a session closes its sockets', () => {
  it('closes every socket of a session within a second of POST /api/logout, and no other', async () => {
    const token = await server.login('operator');
    const [a, b] = await Promise.all([connected(token), connected(token)]);
    const bystander = await server.client('viewer');
    const sameUserOtherLogin = await connected(await server.login('operator'));
    let at = 0;
    const closes = [ended(a, () => at), ended(b, () => at)];
    at = Date.now();
    const res = await fetch(`${server.url}/api/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    for (const r of await Promise.all(closes)) {
      expect(r.info.reason).toBe('revoked');
      expect(r.reason).toBe('io server disconnect');
      expect(r.ms).toBeLessThan(WITHIN_MS);
    }
    await sleep(300);
    expect(bystander.connected).toBe(true);
    expect(sameUserOtherLogin.connected).toBe(true);
    expect(await send(bystander, 'plant:resync')).toMatchObject({ ok: true });
    expect(await handshakeRefusal(server.url, { token })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('closes a removed user’s sockets within a second', async () => {
    const password = await newUser('leaver', 'operator');
    const c = await connected(await server.loginAs('leaver', password));
    const other = await server.client('operator');
    let at = 0;
    const closed = ended(c, () => at);
    at = Date.now();
    expect(server.auth.removeUser('leaver', TEST_ACTOR)).toEqual({ ok: true });
    const r = await closed;
    expect(r.info.reason).toBe('revoked');
    expect(r.ms).toBeLessThan(WITHIN_MS);
    expect(other.connected).toBe(true);
  });

  it('closes the sockets of a user whose password another process changed, within a second', async () => {
    const password = await newUser('changer', 'viewer');
    const c = await connected(await server.loginAs('changer', password));
    // Its own connection to the database, as the `npm run user` CLI process has.
    const cli = openAuth({ dataDir: server.dataDir, scryptLogN: 12 });
    try {
      let at = 0;
      const closed = ended(c, () => at);
      const change = cli.setPassword('changer', randomPassword(), { user: 'cli', role: null, source: 'cli' });
      expect(await change).toEqual({ ok: true });
      at = Date.now();
      const r = await closed;
      expect(r.info.reason).toBe('revoked');
      expect(r.ms).toBeLessThan(WITHIN_MS);
    } finally {
      cli.close();
    }
  });

  it('closes a socket within a second of its session expiring', async () => {
    const c = await connected(await server.login('trainer'));
    const older = await connected(await server.login('viewer'));
    let at = 0;
    const closed = ended(c, () => at);
    // The viewer logs in again just before the jump, so only the trainer's session runs out.
    offset += TTL_MS - 5000;
    const fresh = await connected(await server.login('viewer'));
    offset += 5001;
    at = Date.now();
    try {
      const r = await closed;
      expect(r.info.reason).toBe('expired');
      expect(r.ms).toBeLessThan(WITHIN_MS);
      await sleep(300);
      expect(fresh.connected).toBe(true);
      expect(older.connected).toBe(false);
    } finally {
      offset = 0;
    }
  });
});
