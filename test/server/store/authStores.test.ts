import { describe, expect, it } from 'vitest';
import type { AsyncAuthStore, UserRow } from '../../../server/store/api/authApi';
import { migrate, SchemaTooNewError } from '../../../server/store/pg/migrate';
import { MIGRATIONS } from '../../../server/store/pg/migrations';
import { openPgAlarmStore } from '../../../server/store/pg/pgAlarmStore';
import { openPgAuthStore } from '../../../server/store/pg/pgAuthStore';
import { openPgRecordingStore } from '../../../server/store/pg/pgRecordingStore';
import { openSqliteAuthStore } from '../../../server/store/sqlite/sqliteAuthStore';
import { hasPostgres } from '../../helpers/postgres';
import { describeEngines, storeEnv } from '../../helpers/storeEngines';

const T0 = 1_800_000_000_000;
const DAY = 24 * 3600_000;
const env = storeEnv();

/** Opens a store on fresh storage and returns it with `reopen` (another connection to the same data). */
type Opener = () => Promise<{ store: AsyncAuthStore; reopen: (nowMs: number) => Promise<AsyncAuthStore> }>;

const track = (s: AsyncAuthStore) => {
  env.onCleanup(() => s.close());
  return s;
};
const engines: { name: 'SQLite' | 'PostgreSQL'; open: Opener }[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = env.sqliteDir();
      const reopen = async (now: number) => track(openSqliteAuthStore(dir, now));
      return { store: await reopen(T0), reopen };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const pool = await env.pgPool();
      const reopen = async (now: number) => track(await openPgAuthStore(pool, now));
      return { store: await reopen(T0), reopen };
    },
  },
];

const user = (name: string, over: Partial<UserRow> = {}): UserRow => ({
  name,
  role: 'viewer',
  hash: `scrypt$hash-of-${name}`,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

describeEngines('the auth store on $name', engines, ({ open }) => {
  it('makes one 32-byte token key per database, the same for every connection', async () => {
    const { store, reopen } = await open();
    expect(store.secret).toHaveLength(32);
    const other = await reopen(T0 + 1000);
    expect(other.secret.equals(store.secret)).toBe(true);
  });

  it('adds users once, case-insensitively, and reads them back by any case with every field', async () => {
    const { store } = await open();
    expect(await store.insertUser(user('ann', { role: 'admin', createdAt: T0 + 1, updatedAt: T0 + 2 }))).toBe(
      true,
    );
    expect(await store.insertUser(user('ANN'))).toBe(false);
    expect(await store.userCount()).toBe(1);
    expect(await store.getUser('aNn')).toEqual({
      name: 'ann',
      role: 'admin',
      hash: 'scrypt$hash-of-ann',
      createdAt: T0 + 1,
      updatedAt: T0 + 2,
      locale: null,
    });
    expect(await store.getUser('anne')).toBeNull();
    expect(await store.getUser('%')).toBeNull();
    // Whatever a login form sent: not found, never an error.
    expect(await store.getUser('ann\u0000')).toBeNull();
    expect(await store.getSession('s\u0000')).toBeNull();
  });

  it('lists users without hashes, sorted as SQLite NOCASE sorts (lower case, byte order)', async () => {
    const { store } = await open();
    for (const n of ['bob', 'Ann', 'carl', 'a_b', 'a-b', 'a.b', '9z', 'Zed', 'b0'])
      await store.insertUser(user(n, { createdAt: T0 + n.length }));
    const list = await store.listUsers();
    expect(list.map((u) => u.name)).toEqual(['9z', 'a-b', 'a.b', 'a_b', 'Ann', 'b0', 'bob', 'carl', 'Zed']);
    expect(list[0]).toEqual({ name: '9z', role: 'viewer', createdAt: T0 + 2, updatedAt: T0 });
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('changes hash, role and language by any case of the name, answering how many rows changed', async () => {
    const { store } = await open();
    await store.insertUser(user('ann'));
    expect(await store.setHash('ANN', 'scrypt$new', T0 + 10)).toBe(1);
    expect(await store.setRole('Ann', 'trainer', T0 + 20)).toBe(1);
    expect(await store.setLocale('aNN', 'zh-CN')).toBe(1);
    expect(await store.getUser('ann')).toMatchObject({
      hash: 'scrypt$new',
      role: 'trainer',
      updatedAt: T0 + 20,
      locale: 'zh-CN',
    });
    expect(await store.setHash('nobody', 'x', T0)).toBe(0);
    expect(await store.setRole('nobody', 'admin', T0)).toBe(0);
    expect(await store.setLocale('nobody', 'en')).toBe(0);
    // A language this version does not know (stored by a newer one) reads as none chosen.
    expect(await store.setLocale('ann', 'tlh' as 'en')).toBe(1);
    expect((await store.getUser('ann'))?.locale).toBeNull();
    expect(await store.deleteUser('nobody')).toBe(0);
    expect(await store.deleteUser('ANN')).toBe(1);
    expect(await store.getUser('ann')).toBeNull();
  });

  it('counts users by role', async () => {
    const { store } = await open();
    await store.insertUser(user('a1', { role: 'admin' }));
    await store.insertUser(user('a2', { role: 'admin' }));
    await store.insertUser(user('o1', { role: 'operator' }));
    expect(await store.countRole('admin')).toBe(2);
    expect(await store.countRole('operator')).toBe(1);
    expect(await store.countRole('trainer')).toBe(0);
    expect(await store.userCount()).toBe(3);
  });

  it('keeps sessions: live until their expiry, revoked once, with the reason and time', async () => {
    const { store } = await open();
    await store.insertSession({
      sid: 's1',
      user: 'sam',
      role: 'operator',
      createdAt: T0,
      expiresAt: T0 + 60_000,
    });
    await store.insertSession({
      sid: 's2',
      user: 'sam',
      role: 'operator',
      createdAt: T0,
      expiresAt: T0 + 120_000,
    });
    expect(await store.getSession('s1')).toEqual({
      sid: 's1',
      user: 'sam',
      role: 'operator',
      createdAt: T0,
      expiresAt: T0 + 60_000,
      revokedAt: null,
      revokeReason: null,
    });
    expect(await store.getSession('nope')).toBeNull();
    const live = async (now: number) => (await store.liveSessions(now)).map((s) => s.sid).sort();
    expect(await live(T0 + 59_999)).toEqual(['s1', 's2']);
    expect(await live(T0 + 60_000)).toEqual(['s2']); // at its exact expiry a session is over
    expect(await store.revokeSession('s2', 'logout', T0 + 5)).toBe(true);
    expect(await store.revokeSession('s2', 'password', T0 + 6)).toBe(false);
    expect(await store.revokeSession('nope', 'logout', T0)).toBe(false);
    expect(await store.getSession('s2')).toMatchObject({ revokedAt: T0 + 5, revokeReason: 'logout' });
    expect(await live(T0)).toEqual(['s1']);
  });

  it("revokes every live session of one user, named in any case, and nobody else's", async () => {
    const { store } = await open();
    const s = (sid: string, u: string) =>
      store.insertSession({ sid, user: u, role: 'viewer', createdAt: T0, expiresAt: T0 + DAY });
    await s('a', 'sam');
    await s('b', 'Sam');
    await s('c', 'sam');
    await s('d', 'kim');
    await store.revokeSession('c', 'logout', T0 + 1);
    expect(await store.revokeUserSessions('SAM', 'role', T0 + 2)).toBe(2);
    expect(await store.getSession('b')).toMatchObject({ revokedAt: T0 + 2, revokeReason: 'role' });
    expect(await store.getSession('c')).toMatchObject({ revokedAt: T0 + 1, revokeReason: 'logout' });
    expect((await store.liveSessions(T0)).map((x) => x.sid)).toEqual(['d']);
  });

  it('drops sessions that ended over 30 days ago when opened, and keeps the rest', async () => {
    const { store, reopen } = await open();
    const now = T0 + 100 * DAY;
    const s = (sid: string, expiresAt: number) =>
      store.insertSession({ sid, user: 'sam', role: 'viewer', createdAt: T0, expiresAt });
    await s('old-expired', now - 31 * DAY);
    await s('recent-expired', now - 29 * DAY);
    await s('old-revoked', now + DAY);
    await store.revokeSession('old-revoked', 'logout', now - 31 * DAY);
    await s('live', now + DAY);
    const later = await reopen(now);
    for (const sid of ['old-expired', 'old-revoked']) expect(await later.getSession(sid), sid).toBeNull();
    for (const sid of ['recent-expired', 'live']) expect(await later.getSession(sid), sid).not.toBeNull();
  });

  it('commits a change and its audit entry together, and rolls both back when the work throws', async () => {
    const { store, reopen } = await open();
    const entry = { at: T0, user: 'root', role: 'admin' as const, source: 'cli', action: 'user:add' };
    const id = await store.tx(async (t) => {
      await t.insertUser(user('ann'));
      return t.audit.record({ ...entry, target: 'ann', result: 'ok' });
    });
    expect(id).toBeGreaterThan(0);
    await expect(
      store.tx(async (t) => {
        await t.insertUser(user('bob'));
        await t.audit.record({ ...entry, target: 'bob', result: 'ok' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const other = await reopen(T0);
    expect((await other.listUsers()).map((u) => u.name)).toEqual(['ann']);
    expect((await other.audit.query({ limit: 10 })).map((e) => e.target)).toEqual(['ann']);
    // The store is usable after a rollback.
    expect(await store.insertUser(user('cid'))).toBe(true);
  });

  it('runs transactions one after another, so "not the last admin" checked inside holds', async () => {
    const { store } = await open();
    await store.insertUser(user('a1', { role: 'admin' }));
    await store.insertUser(user('a2', { role: 'admin' }));
    const order: string[] = [];
    // Each demotes its admin only if another admin is left; the pause widens the window in which
    // unserialised transactions would both see two admins.
    const demote = (name: string) =>
      store.tx(async (t) => {
        order.push(`${name} checks`);
        const admins = await t.countRole('admin');
        await new Promise((r) => setTimeout(r, 50));
        if (admins < 2) return false;
        await t.setRole(name, 'viewer', T0 + 1);
        order.push(`${name} demoted`);
        return true;
      });
    const results = await Promise.all([demote('a1'), demote('a2')]);
    expect(results.sort()).toEqual([false, true]);
    expect(await store.countRole('admin')).toBe(1);
    expect(order.slice(0, 2)).toEqual([order[0], order[0].replace('checks', 'demoted')]);
  });

  it('lets calls made outside a transaction wait for it rather than see its uncommitted rows', async () => {
    const { store } = await open();
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inside = () => {};
    const entered = new Promise<void>((r) => {
      inside = r;
    });
    const tx = store.tx(async (t) => {
      await t.insertUser(user('ann'));
      inside();
      await held;
      throw new Error('rolled back');
    });
    await entered;
    const seen = store.getUser('ann');
    release();
    await expect(tx).rejects.toThrow('rolled back');
    expect(await seen).toBeNull();
  });
});

describe.skipIf(!hasPostgres)('the PostgreSQL stores on a database of another schema', () => {
  const opens = [
    (p: Parameters<typeof openPgAlarmStore>[0]) => openPgAuthStore(p, T0),
    (p: Parameters<typeof openPgAlarmStore>[0]) => openPgAlarmStore(p),
    (p: Parameters<typeof openPgAlarmStore>[0]) => openPgRecordingStore(p),
  ];

  it('refuse an unmigrated database, naming the command to run, and write nothing', async () => {
    const pool = await env.pgPool({ migrated: false });
    for (const o of opens) await expect(o(pool)).rejects.toThrow('run `npm run db -- migrate` first');
    const tables = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.rowCount).toBe(0);
  });

  it('refuse a database a newer server migrated', async () => {
    const pool = await env.pgPool({ migrated: false });
    const newest = MIGRATIONS.at(-1)!.version;
    await migrate(pool, {
      migrations: [...MIGRATIONS, { version: newest + 1, name: 'future', sql: 'SELECT 1' }],
    });
    for (const o of opens) await expect(o(pool)).rejects.toBeInstanceOf(SchemaTooNewError);
  });
});
