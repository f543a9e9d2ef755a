import { afterEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../../server/auth/types';
import { authFixture } from './authHelpers';

let fx = authFixture();
afterEach(() => {
  fx.closeAll();
  fx = authFixture();
});

type Entry = Parameters<AuditLog['record']>[0];
const base = (over: Partial<Entry>): Entry => ({
  at: fx.clock.t,
  user: 'olga',
  role: 'operator',
  source: '10.0.0.5',
  action: 'command',
  result: 'ok',
  ...over,
});

describe('the audit trail', () => {
  it('writes a pending entry before the effect and finishes it after', () => {
    const auth = fx.open();
    const id = auth.audit.begin(
      base({ target: 'AGV-1', params: { action: 'go-to', node: 'N3' }, commandId: 'c1' }),
    );
    expect(auth.audit.query({ limit: 1 })[0]).toMatchObject({ id, result: 'pending', code: null });
    expect(auth.audit.commandReply('olga', 'c1')).toBeNull(); // not finished: no reply to repeat yet
    auth.audit.finish(id, 'ok', null, null, { ok: true, applied: 1 });
    expect(auth.audit.query({ limit: 1 })[0]).toMatchObject({
      id,
      at: fx.clock.t,
      user: 'olga',
      role: 'operator',
      source: '10.0.0.5',
      action: 'command',
      target: 'AGV-1',
      params: { action: 'go-to', node: 'N3' },
      result: 'ok',
    });
    expect(auth.audit.commandReply('olga', 'c1')).toEqual({ ok: true, applied: 1 });
    // Only the user who sent it gets it back; a finished entry is not finished twice.
    expect(auth.audit.commandReply('mallory', 'c1')).toBeNull();
    auth.audit.finish(id, 'error', 'INTERNAL', 'late', { ok: false });
    expect(auth.audit.commandReply('olga', 'c1')).toEqual({ ok: true, applied: 1 });
  });

  it('keeps what was committed through a reopen (another connection sees it)', () => {
    const a = fx.open();
    const id = a.audit.record(base({ result: 'refused', code: 'FORBIDDEN', message: 'no' }));
    a.close();
    const b = fx.open();
    expect(b.audit.query({ limit: 5 }).map((e) => e.id)).toEqual([id]);
  });

  it('filters by user, exact action, action prefix, equipment and time, newest first, up to the limit', () => {
    const auth = fx.open();
    const at = (dt: number) => fx.clock.t + dt;
    auth.audit.record(base({ at: at(0), action: 'login', result: 'ok' }));
    auth.audit.record(base({ at: at(10), action: 'command:stop', target: 'RB-1', result: 'ok' }));
    auth.audit.record(
      base({ at: at(20), user: 'ivan', action: 'command:start', target: 'RB-1', result: 'refused' }),
    );
    auth.audit.record(base({ at: at(30), action: 'commander', target: 'RB-2', result: 'ok' }));
    auth.audit.record(base({ at: at(40), action: 'alarm:ack', target: 'RB-1', result: 'ok' }));
    const q = (over: object) => auth.audit.query({ limit: 100, ...over }).map((e) => e.at - fx.clock.t);
    expect(q({})).toEqual([40, 30, 20, 10, 0]);
    expect(q({ user: 'IVAN' })).toEqual([20]);
    expect(q({ action: 'login' })).toEqual([0]);
    expect(q({ action: 'command:*' })).toEqual([20, 10]);
    expect(q({ action: 'command*' })).toEqual([30, 20, 10]);
    expect(q({ action: 'command' })).toEqual([]);
    expect(q({ equipment: 'RB-1' })).toEqual([40, 20, 10]);
    expect(q({ from: at(10), to: at(30) })).toEqual([30, 20, 10]);
    expect(q({ equipment: 'RB-1', action: 'command:*', user: 'olga' })).toEqual([10]);
    expect(q({ limit: 2 })).toEqual([40, 30]);
    // SQL wildcards in a filter are plain characters.
    expect(q({ action: '%*' })).toEqual([]);
    expect(q({ user: '%' })).toEqual([]);
  });

  it('redacts anything that looks like a secret in params, and caps huge params', () => {
    const auth = fx.open();
    auth.audit.record(
      base({
        result: 'ok',
        params: { node: 'N1', password: 'p4ss-w0rd-xyz', nested: { accessToken: 'tok-123-abc', ok: 1 } },
      }),
    );
    const [e] = auth.audit.query({ limit: 1 });
    expect(e.params).toEqual({
      node: 'N1',
      password: '[redacted]',
      nested: { accessToken: '[redacted]', ok: 1 },
    });
    auth.audit.record(base({ result: 'ok', params: { blob: 'x'.repeat(100_000) } }));
    expect(auth.audit.query({ limit: 1 })[0].params).toEqual({ truncated: true, bytes: 100_011 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => auth.audit.record(base({ result: 'ok', params: cyclic }))).not.toThrow();
  });
});
