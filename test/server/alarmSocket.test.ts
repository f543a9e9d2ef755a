import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmTransition } from '../../protocol';
import { injectFault } from '../../server/sim';
import {
  connectClient,
  nextEvent,
  randomPassword,
  sleep,
  startTestServer,
  TEST_ACTOR,
  type TestClient,
  type TestServer,
} from '../helpers/server';

let server: TestServer;
const clients: TestClient[] = [];
/** Tokens of the operator 'ana', of the helper's operator 'op1' and of its admin. */
let ANA = '';
let OP = '';
let ADMIN = '';
/** The alarm the first test raises (a jam on the first conveyor that can jam now). */
let ALARM = '';
let EQ = '';

/** A client logged in as ana, as the admin, or as the helper's operator (op1). */
function client(user?: 'ana' | 'admin'): TestClient {
  const c = connectClient(server.url, { token: user === 'ana' ? ANA : user === 'admin' ? ADMIN : OP });
  clients.push(c);
  return c;
}

/** Resolves with the first `alarm:changed` that matches. */
function changed(c: TestClient, match: (t: AlarmTransition) => boolean, ms = 5000): Promise<AlarmTransition> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching alarm:changed')), ms);
    const on = (t: AlarmTransition) => {
      if (!match(t)) return;
      clearTimeout(timer);
      c.off('alarm:changed', on);
      resolve(t);
    };
    c.on('alarm:changed', on);
  });
}

const raw = (c: TestClient) => c as unknown as { emitWithAck: (...a: unknown[]) => Promise<unknown> };

beforeAll(async () => {
  // A high request rate: the malformed-payload test sends a burst well above the default limit.
  server = await startTestServer({
    seed: 3,
    speed: 1,
    security: { requestRate: { perS: 1000, burst: 1000 } },
  });
  const pw = randomPassword();
  expect(await server.auth.addUser('ana', 'operator', pw, TEST_ACTOR)).toEqual({ ok: true });
  ANA = await server.loginAs('ana', pw);
  OP = await server.login('operator');
  ADMIN = await server.login('admin');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

describe('alarms over a real Socket.IO connection', () => {
  it('broadcasts a raised alarm, and one client’s ack reaches the other within a second', async () => {
    const a = client('ana');
    const b = client();
    await Promise.all([nextEvent(a, 'plant:snapshot'), nextEvent(b, 'plant:snapshot')]);
    const conveyors = server.session.layout.equipment.filter((e) => e.kind === 'conveyor').map((e) => e.id);
    // A conveyor jams only while its line runs (not in the first ticks): try until one does.
    for (let i = 0; i < 50 && !EQ; i++) {
      EQ = conveyors.find((id) => injectFault(server.session.world, id)) ?? '';
      if (!EQ) await sleep(100);
    }
    ALARM = `conveyor-fault@${EQ}`;
    const t = await changed(b, (x) => x.alarmId === ALARM && x.to === 'unacknowledged');
    expect(t.alarm).toMatchObject({ equipmentId: EQ, priority: 'high', active: true });
    const seen = changed(b, (x) => x.alarmId === ALARM && x.to === 'acknowledged', 1000);
    const ack = await a.timeout(2000).emitWithAck('alarm:ack', { ids: [ALARM] });
    expect(ack).toMatchObject({ ok: true, acknowledged: [ALARM] });
    expect((await seen).user).toBe('ana');
    const snap = await nextEvent(client(), 'plant:snapshot');
    expect(snap.alarms.find((x) => x.id === ALARM)).toMatchObject({ state: 'acknowledged', ackedBy: 'ana' });
    expect(snap.alarmSeq).toBeGreaterThanOrEqual((await seen).seq);
  });

  it('answers refusals with codes and changes nothing', async () => {
    const c = client();
    await nextEvent(c, 'plant:snapshot');
    const seq = server.session.alarms!.seq;
    expect(await c.timeout(2000).emitWithAck('alarm:ack', { ids: [ALARM] })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(await c.timeout(2000).emitWithAck('alarm:ack', { ids: ['nope@X'] })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await c.timeout(2000).emitWithAck('alarm:unshelve', { id: ALARM })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
    expect(
      await c.timeout(2000).emitWithAck('alarm:shelve', { id: ALARM, minutes: 5, reason: '  ' }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID',
      message: 'reason: a reason is required',
    });
    expect(server.session.alarms!.seq).toBe(seq);
  });

  it('shelves and unshelves with a reason, and catches up by sequence number', async () => {
    const c = client();
    const snap = await nextEvent(c, 'plant:snapshot');
    const shelved = await c
      .timeout(2000)
      .emitWithAck('alarm:shelve', { id: ALARM, minutes: 10, reason: 'belt swap' });
    expect(shelved).toMatchObject({
      ok: true,
      alarm: { state: 'shelved', reason: 'belt swap', shelvedBy: 'op1' },
    });
    const back = await c.timeout(2000).emitWithAck('alarm:unshelve', { id: ALARM });
    expect(back).toMatchObject({ ok: true });
    const since = (await c.timeout(2000).emitWithAck('alarm:since', { seq: snap.alarmSeq })) as {
      ok: true;
      transitions: AlarmTransition[];
    };
    expect(since.ok).toBe(true);
    const seqs = since.transitions.map((t) => t.seq);
    expect(seqs[0]).toBe(snap.alarmSeq + 1);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(await c.timeout(2000).emitWithAck('alarm:since', { seq: 1e9 })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
  });

  it('writes every alarm action to the audit trail: who, what, parameters and how it ended', async () => {
    const rows = server.auth.audit.query({ action: 'alarm:*', limit: 100 }).reverse();
    const src = expect.stringMatching(/127\.0\.0\.1/);
    expect(rows[0]).toMatchObject({
      action: 'alarm:ack',
      user: 'ana',
      role: 'operator',
      source: src,
      result: 'ok',
    });
    expect(rows[0].target).toBe(ALARM);
    expect(rows.find((r) => r.action === 'alarm:shelve' && r.result === 'ok')).toMatchObject({
      user: 'op1',
      target: ALARM,
      params: { minutes: 10, reason: 'belt swap' },
    });
    // Refused actions that reached the book are audited with their code; invalid payloads never are.
    expect(rows.find((r) => r.action === 'alarm:ack' && r.result === 'refused')).toMatchObject({
      code: 'CONFLICT',
    });
    expect(rows.some((r) => r.action === 'alarm:shelve' && r.params?.reason === '  ')).toBe(false);
    expect(rows.some((r) => r.action === 'alarm:since')).toBe(false);
  });

  it('refuses malformed payloads for every alarm event, changes nothing and keeps streaming', async () => {
    // The admin may send every alarm event, so each refusal here is the payload's, not the role's.
    const c = client('admin');
    await nextEvent(c, 'plant:snapshot');
    const seq = server.session.alarms!.seq;
    const bad: unknown[] = [
      undefined,
      null,
      42,
      'x'.repeat(50_000),
      new Uint8Array(64),
      [],
      JSON.parse('{"__proto__": {"polluted": true}, "id": "a@b"}'),
      { ids: 'conveyor-fault@L1-C1' },
      { ids: Array.from({ length: 2000 }, () => ALARM) },
      { ids: ['x'.repeat(500)] },
      { id: ALARM, minutes: Number.NaN, reason: 'r' },
      { id: ALARM, minutes: -1, reason: 'r' },
      { id: ALARM, minutes: 5, reason: 'r'.repeat(1000) },
      { id: ALARM, enabled: 'yes', reason: 'r' },
      { id: ALARM, extra: 1 },
      { seq: -1 },
      { seq: 1.5 },
    ];
    for (const event of [
      'alarm:ack',
      'alarm:shelve',
      'alarm:unshelve',
      'alarm:out-of-service',
      'alarm:since',
    ])
      for (const p of bad) {
        const r = (await raw(c).emitWithAck(event, p)) as { ok: boolean; code?: string };
        if (r.ok) throw new Error(`${event} accepted ${JSON.stringify(p)?.slice(0, 80)}`);
        expect(r.code).toBe('INVALID');
      }
    // No ack function at all, or a payload where the ack should be: nothing breaks.
    const plain = c as unknown as { emit: (...a: unknown[]) => void };
    plain.emit('alarm:ack', { ids: [ALARM] });
    plain.emit('alarm:shelve', { id: ALARM, minutes: 1, reason: 'r' }, 'not-a-function');
    await sleep(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(server.session.alarms!.get(ALARM)?.state).not.toBe('shelved');
    expect(server.session.alarms!.seq).toBe(seq);
    await nextEvent(client(), 'telemetry:frame');
  });
});

describe('alarm HTTP API', () => {
  const bearer = () => ({ headers: { authorization: `Bearer ${OP}` } });

  it('lists current alarms, the journal and the health figures', async () => {
    const cur = await (await fetch(`${server.url}/api/alarms`, bearer())).json();
    expect(cur).toMatchObject({ ok: true });
    expect(cur.alarms.some((a: { id: string }) => a.id === ALARM)).toBe(true);
    const hist = await (
      await fetch(`${server.url}/api/alarms/history?equipment=${EQ}&limit=2&from=0`, bearer())
    ).json();
    expect(hist.ok).toBe(true);
    expect(hist.transitions).toHaveLength(2);
    expect(hist.transitions.every((t: AlarmTransition) => t.equipmentId === EQ)).toBe(true);
    expect(hist.transitions[0].seq).toBeGreaterThan(hist.transitions[1].seq);
    const stats = await (await fetch(`${server.url}/api/alarms/stats`, bearer())).json();
    expect(stats).toMatchObject({ ok: true, flood: false });
    expect(stats.per10Min).toBeGreaterThanOrEqual(1);
    expect(stats.top[0].count).toBeGreaterThanOrEqual(1);
  });

  it('answers a bad history query with 400 INVALID', async () => {
    for (const q of [
      'limit=0',
      'limit=abc',
      'limit=5000',
      'from=yesterday',
      'equipment=%00',
      'color=red',
      'limit=1&limit=2',
    ]) {
      const res = await fetch(`${server.url}/api/alarms/history?${q}`, bearer());
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, code: 'INVALID' });
    }
    const post = await fetch(`${server.url}/api/alarms`, { method: 'POST', ...bearer() });
    expect(post.status).toBe(405);
  });
});
