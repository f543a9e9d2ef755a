import { expect, it } from 'vitest';
import type { AuditLog } from '../../../server/auth/types';
import type { AsyncAuditLog, AsyncAuthStore } from '../../../server/store/api/authApi';
import { openPgAuthStore } from '../../../server/store/pg/pgAuthStore';
import { openSqliteAuthStore } from '../../../server/store/sqlite/sqliteAuthStore';
import { describeEngines, storeEnv } from '../../helpers/storeEngines';

const T0 = 1_800_000_000_000;
const env = storeEnv();

/** The audit of a fresh database, and `reopen`: the audit through another connection to it. */
type Opener = () => Promise<{ audit: AsyncAuditLog; reopen: () => Promise<AsyncAuditLog> }>;

/** The one difference between the engines: PostgreSQL text cannot hold U+0000, it keeps U+FFFD. */
type Engine = { name: 'SQLite' | 'PostgreSQL'; open: Opener; nul: string };

const track = (s: AsyncAuthStore) => {
  env.onCleanup(() => s.close());
  return s.audit;
};
const engines: Engine[] = [
  {
    name: 'SQLite',
    nul: '\u0000',
    open: async () => {
      const dir = env.sqliteDir();
      const reopen = async () => track(openSqliteAuthStore(dir, T0));
      return { audit: await reopen(), reopen };
    },
  },
  {
    name: 'PostgreSQL',
    nul: '\uFFFD',
    open: async () => {
      const pool = await env.pgPool();
      const reopen = async () => track(await openPgAuthStore(pool, T0));
      return { audit: await reopen(), reopen };
    },
  },
];

type Entry = Parameters<AuditLog['record']>[0];
const base = (over: Partial<Entry>): Entry => ({
  at: T0,
  user: 'olga',
  role: 'operator',
  source: '10.0.0.5',
  action: 'command',
  result: 'ok',
  ...over,
});

describeEngines('the audit trail on $name', engines, ({ open, nul }) => {
  it('writes a pending entry before the effect and finishes it after, once', async () => {
    const { audit } = await open();
    const id = await audit.begin(
      base({ target: 'AGV-1', params: { action: 'go-to', node: 'N3' }, commandId: 'c1' }),
    );
    expect((await audit.query({ limit: 1 }))[0]).toMatchObject({ id, result: 'pending', code: null });
    expect(await audit.commandReply('olga', 'c1')).toBeNull(); // not finished: no reply to repeat yet
    await audit.finish(id, 'ok', null, null, { ok: true, applied: 1 });
    expect((await audit.query({ limit: 1 }))[0]).toEqual({
      id,
      at: T0,
      user: 'olga',
      role: 'operator',
      source: '10.0.0.5',
      action: 'command',
      target: 'AGV-1',
      params: { action: 'go-to', node: 'N3' },
      result: 'ok',
      code: null,
      message: null,
    });
    expect(await audit.commandReply('olga', 'c1')).toEqual({ ok: true, applied: 1 });
    // Only the user who sent it (exact case, as stored) gets it back; finished is not finished twice.
    expect(await audit.commandReply('mallory', 'c1')).toBeNull();
    expect(await audit.commandReply('OLGA', 'c1')).toBeNull();
    await audit.finish(id, 'error', 'INTERNAL', 'late', { ok: false });
    expect(await audit.commandReply('olga', 'c1')).toEqual({ ok: true, applied: 1 });
    expect((await audit.query({ limit: 1 }))[0]).toMatchObject({ result: 'ok', code: null });
  });

  it('answers a repeated command id with the newest finished reply', async () => {
    const { audit } = await open();
    const a = await audit.begin(base({ commandId: 'c9' }));
    await audit.finish(a, 'refused', 'FORBIDDEN', 'no', { ok: false, code: 'FORBIDDEN' });
    const b = await audit.begin(base({ commandId: 'c9' }));
    expect(b).toBeGreaterThan(a);
    await audit.finish(b, 'ok', null, null, { ok: true });
    expect(await audit.commandReply('olga', 'c9')).toEqual({ ok: true });
    const c = await audit.begin(base({ commandId: 'c10' }));
    await audit.finish(c, 'ok'); // no reply kept
    expect(await audit.commandReply('olga', 'c10')).toBeNull();
  });

  it('keeps what was committed for another connection to read', async () => {
    const { audit, reopen } = await open();
    const id = await audit.record(base({ result: 'refused', code: 'FORBIDDEN', message: 'no' }));
    const other = await reopen();
    expect((await other.query({ limit: 5 })).map((e) => [e.id, e.code, e.message])).toEqual([
      [id, 'FORBIDDEN', 'no'],
    ]);
  });

  it('filters by user, exact action, action prefix, equipment and time, newest first, up to the limit', async () => {
    const { audit } = await open();
    const at = (dt: number) => T0 + dt;
    await audit.record(base({ at: at(0), action: 'login', result: 'ok' }));
    await audit.record(base({ at: at(10), action: 'command:stop', target: 'RB-1', result: 'ok' }));
    await audit.record(
      base({ at: at(20), user: 'ivan', action: 'command:start', target: 'RB-1', result: 'refused' }),
    );
    await audit.record(base({ at: at(30), action: 'commander', target: 'RB-2', result: 'ok' }));
    await audit.record(base({ at: at(40), action: 'alarm:ack', target: 'RB-1', result: 'ok' }));
    const q = async (over: object) => (await audit.query({ limit: 100, ...over })).map((e) => e.at - T0);
    expect(await q({})).toEqual([40, 30, 20, 10, 0]);
    expect(await q({ user: 'IVAN' })).toEqual([20]);
    expect(await q({ action: 'login' })).toEqual([0]);
    expect(await q({ action: 'command:*' })).toEqual([20, 10]);
    expect(await q({ action: 'command*' })).toEqual([30, 20, 10]);
    expect(await q({ action: 'command' })).toEqual([]);
    expect(await q({ equipment: 'RB-1' })).toEqual([40, 20, 10]);
    expect(await q({ from: at(10), to: at(30) })).toEqual([30, 20, 10]);
    expect(await q({ equipment: 'RB-1', action: 'command:*', user: 'olga' })).toEqual([10]);
    expect(await q({ limit: 2 })).toEqual([40, 30]);
    // SQL wildcards in a filter are plain characters.
    expect(await q({ action: '%*' })).toEqual([]);
    expect(await q({ action: '_ommand*' })).toEqual([]);
    expect(await q({ user: '%' })).toEqual([]);
  });

  it('redacts anything that looks like a secret in params, and caps huge params', async () => {
    const { audit } = await open();
    await audit.record(
      base({
        params: { node: 'N1', password: 'p4ss-w0rd-xyz', nested: { accessToken: 'tok-123-abc', ok: 1 } },
      }),
    );
    expect((await audit.query({ limit: 1 }))[0].params).toEqual({
      node: 'N1',
      password: '[redacted]',
      nested: { accessToken: '[redacted]', ok: 1 },
    });
    await audit.record(base({ params: { blob: 'x'.repeat(100_000) } }));
    expect((await audit.query({ limit: 1 }))[0].params).toEqual({ truncated: true, bytes: 100_011 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(audit.record(base({ params: cyclic }))).resolves.toBeGreaterThan(0);
    expect((await audit.query({ limit: 1 }))[0].params).toEqual({ unserializable: true });
  });

  it('records whatever a client sent, NUL characters and long texts included, clipped', async () => {
    const { audit } = await open();
    const id = await audit.record(
      base({
        user: 'u'.repeat(300),
        action: 'command:\u0000',
        target: 'T\u0000',
        params: { text: 'a\u0000b' },
        result: 'refused',
        message: 'm'.repeat(600),
      }),
    );
    await audit.finish(await audit.begin(base({ commandId: 'c\u0000' })), 'refused', 'X\u0000', 'm\u0000', 1);
    expect(await audit.commandReply('olga', 'c\u0000')).toBe(1);
    expect((await audit.query({ limit: 1 }))[0]).toMatchObject({ code: `X${nul}`, message: `m${nul}` });
    const [e] = await audit.query({ action: 'command:\u0000', limit: 5 });
    expect(e.id).toBe(id);
    expect(e.action).toBe(`command:${nul}`);
    expect(e.target).toBe(`T${nul}`);
    expect(e.params).toEqual({ text: 'a\u0000b' }); // JSON escapes it: kept exactly on both
    expect(e.user).toHaveLength(200);
    expect(e.user.endsWith('…')).toBe(true);
    expect(e.message).toHaveLength(500);
  });
});
