import { afterAll, describe, expect, it } from 'vitest';
import {
  type Alarm,
  type AlarmTransition,
  decodeFrameToObjects,
  type Layout,
  type PlantSnapshot,
  PUBLISH_CONFIRMATION_TTL_MS,
  type RecordingSummary,
  type ReplayOpened,
} from '../../../protocol';
import { injectFault } from '../../../server/sim';
import {
  randomPassword,
  startTestServer,
  TEST_ACTOR,
  type TestClient,
  type TestServer,
  tempDataDir,
} from '../../helpers/server';
import { ask, QUICK } from '../replay/support';
import { api, FAST } from '../training/support';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** Test clock: the real one plus `skewMs` (moved forward to expire confirmations). */
let skewMs = 0;
const now = () => Date.now() + skewMs;

async function start(opts: { dataDir?: string; published?: boolean } = {}): Promise<TestServer> {
  const s = await startTestServer({ seed: 5, security: FAST, now, ...opts });
  servers.push(s);
  return s;
}

/** The layout without one piece of equipment (and out of every line's flow, so it stays valid). */
function without(layout: Layout, id: string): Layout {
  const l = structuredClone(layout);
  l.equipment = l.equipment.filter((e) => e.id !== id);
  for (const line of l.lines) line.flow = line.flow.filter((x) => x !== id);
  return l;
}

/** A saved version of a new draft holding `layout` (any JSON); the engineer's token does it. */
async function saveVersion(server: TestServer, token: string, layout: unknown) {
  const d = await api(server, 'POST', '/api/designs', token, { name: 'next layout' });
  const designId = (d.body.design as { id: string }).id;
  await api(server, 'PUT', `/api/designs/${designId}/layout`, token, { layout });
  const v = await api(server, 'POST', `/api/designs/${designId}/versions`, token, {
    message: 'drop a conveyor',
  });
  return { designId, versionId: (v.body.version as { id: string }).id };
}

const publish = (server: TestServer, token: string, designId: string, body: unknown) =>
  api(server, 'POST', `/api/designs/${designId}/publish`, token, body);

/** Preview then confirm; resolves with the second answer. */
async function publishBoth(server: TestServer, token: string, designId: string, version: string) {
  const first = await publish(server, token, designId, { version });
  expect(first, 'preview').toMatchObject({ status: 200, body: { ok: true, published: false } });
  return publish(server, token, designId, { version, confirmation: first.body.confirmation });
}

async function alarms(server: TestServer, token: string): Promise<Alarm[]> {
  return (await api(server, 'GET', '/api/alarms', token)).body.alarms as Alarm[];
}

/** Waits until the live plant has the alarm raised. */
async function raised(server: TestServer, token: string, id: string): Promise<void> {
  await expect
    .poll(async () => (await alarms(server, token)).some((a) => a.id === id), {
      timeout: 15_000,
      interval: 100,
    })
    .toBe(true);
}

const publishAudit = (server: TestServer) =>
  server.auth.audit
    .query({ limit: 1000 })
    .filter((e) => e.action === 'design:publish' || e.action === 'design:rollback');

describe('publishing a design version to the live plant', () => {
  it('switches the live room to the new layout: a new snapshot, frames for the new equipment count, the removed conveyor’s alarm ended, the kept one’s state kept, audited', async () => {
    const server = await start();
    const admin = await server.login('admin');
    const eng = await server.login('engineer');
    const c: TestClient = await server.client('operator');
    const world = server.app.live.session.world;
    expect(injectFault(world, 'L3-C3')).toBe(true);
    expect(injectFault(world, 'L1-C2')).toBe(true);
    await raised(server, admin, 'conveyor-fault@L3-C3');
    await raised(server, admin, 'conveyor-fault@L1-C2');
    const ack = await new Promise<{ ok: boolean }>((r) =>
      c.emit('alarm:ack', { ids: ['conveyor-fault@L1-C2'] }, r),
    );
    expect(ack.ok).toBe(true);
    const before = server.app.live.session;
    const seqBefore = before.seq;
    const { designId, versionId } = await saveVersion(server, eng, without(before.layout, 'L3-C3'));

    const first = await publish(server, admin, designId, { version: versionId });
    expect(first).toMatchObject({
      status: 200,
      body: {
        ok: true,
        published: false,
        version: versionId,
        summary: {
          equipmentBefore: 72,
          equipmentAfter: 71,
          equipmentRemoved: 1,
          equipmentAdded: 0,
          alarmsEnding: 1,
        },
      },
    });
    expect(first.body.confirmationExpiresAt).toBeGreaterThan(now());
    // The first step changes nothing and is not audited.
    expect(server.app.live.session).toBe(before);
    expect(publishAudit(server)).toEqual([]);

    const snap = new Promise<PlantSnapshot>((resolve) => c.once('plant:snapshot', resolve));
    const second = await publish(server, admin, designId, {
      version: versionId,
      confirmation: first.body.confirmation,
    });
    expect(second).toMatchObject({
      status: 200,
      body: {
        ok: true,
        published: true,
        version: versionId,
        entry: { version: versionId, live: true, publishedBy: 'admin1' },
      },
    });
    const s = await snap;
    expect(s.plant.equipment.map((e) => e.id)).not.toContain('L3-C3');
    expect(s.plant.equipment).toHaveLength(71);
    // The event log carries on: numbering after the old plant's, the layout change announced in code.
    const changed = s.events.at(-1)!;
    expect(changed.seq).toBeGreaterThan(seqBefore);
    expect(changed.text).toEqual({
      code: 'event.plant.layoutChanged',
      params: { version: versionId, user: 'admin1', equipment: 71 },
    });
    expect(s.seq).toBe(changed.seq);
    // No alarm of the removed conveyor; the kept conveyor's alarm is still acknowledged.
    expect(s.alarms.map((a) => a.equipmentId)).not.toContain('L3-C3');
    expect(s.alarms.find((a) => a.id === 'conveyor-fault@L1-C2')?.state).toBe('acknowledged');
    const now2 = await alarms(server, admin);
    expect(now2.map((a) => a.equipmentId)).not.toContain('L3-C3');
    // The new world starts from the seed (no fault on L1-C2): its alarm then follows the new
    // conditions, but the switch itself never ended it.
    const kept = (await api(server, 'GET', '/api/alarms/history?equipment=L1-C2', admin)).body
      .transitions as AlarmTransition[];
    expect(kept.filter((t) => t.reason === 'equipment removed from the plant layout')).toEqual([]);
    const journal = (await api(server, 'GET', '/api/alarms/history?equipment=L3-C3', admin)).body
      .transitions as AlarmTransition[];
    expect(journal[0]).toMatchObject({
      alarmId: 'conveyor-fault@L3-C3',
      to: 'normal',
      user: 'admin1',
      reason: 'equipment removed from the plant layout',
    });

    // Frames go on without a reconnect, for the new layout's 71 pieces of equipment.
    const kinds = s.plant.equipment.map((e) => e.kind);
    const frames: number[] = [];
    const onFrame = (f: ArrayBuffer) => {
      const d = decodeFrameToObjects(f, kinds);
      for (const e of d.entries) frames.push(e.index);
    };
    c.on('telemetry:frame', onFrame);
    await expect.poll(() => frames.length, { timeout: 10_000 }).toBeGreaterThan(20);
    c.off('telemetry:frame', onFrame);
    expect(Math.max(...frames)).toBeLessThan(71);
    expect(c.connected).toBe(true);

    // Audited before the effect, then finished ok.
    const audit = publishAudit(server);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'design:publish',
      target: versionId,
      user: 'admin1',
      result: 'ok',
    });
    expect(audit[0].params).toEqual({ version: versionId, design: designId });

    const list = await api(server, 'GET', '/api/plant/versions', eng);
    expect(list.body).toMatchObject({
      ok: true,
      live: { version: versionId, equipment: 71 },
      versions: [
        { seq: 0, version: 'base', live: false },
        {
          seq: 1,
          version: versionId,
          designId,
          designName: 'next layout',
          message: 'drop a conveyor',
          live: true,
        },
      ],
    });
    expect(await fetch(`${server.url}/healthz`).then((r) => r.json())).toMatchObject({ equipment: 71 });
  });

  it('refuses a version with errors (422, the loader’s errors), engineers and others (403), and bad bodies (400), changing nothing', async () => {
    const server = await start();
    const admin = await server.login('admin');
    const eng = await server.login('engineer');
    const layout = server.app.live.session.layout;
    const broken = { ...layout, equipment: [...layout.equipment, layout.equipment[0]] };
    const bad = await saveVersion(server, eng, broken);
    const r = await publish(server, admin, bad.designId, { version: bad.versionId });
    expect(r).toMatchObject({ status: 422, body: { ok: false, code: 'INVALID' } });
    expect((r.body.errors as string[]).some((e) => e.includes('duplicate'))).toBe(true);
    const good = await saveVersion(server, eng, without(layout, 'L3-C3'));
    for (const role of ['engineer', 'operator', 'viewer', 'trainer'] as const) {
      const t = role === 'engineer' ? eng : await server.login(role);
      const x = await publish(server, t, good.designId, { version: good.versionId });
      expect(x, role).toMatchObject({ status: 403, body: { ok: false, code: 'FORBIDDEN' } });
      const y = await api(server, 'POST', '/api/plant/rollback', t, { version: 'base' });
      expect(y, role).toMatchObject({ status: 403, body: { ok: false, code: 'FORBIDDEN' } });
    }
    expect(
      (await publish(server, null as unknown as string, good.designId, { version: good.versionId })).status,
    ).toBe(401);
    const bodies: unknown[] = [
      {},
      { version: 'v-1' },
      { version: good.versionId, extra: 1 },
      { version: 5 },
      '[',
      'null',
    ];
    for (const b of bodies) {
      const x = await publish(server, admin, good.designId, b);
      expect(x, JSON.stringify(b)).toMatchObject({ status: 400, body: { ok: false, code: 'INVALID' } });
    }
    expect((await publish(server, admin, 'd-zz', { version: good.versionId })).status).toBe(400);
    // A version of another draft, and an unknown one.
    const other = await publish(server, admin, bad.designId, { version: good.versionId });
    expect(other).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await publish(server, admin, good.designId, { version: 'v-000000000000' })).status).toBe(404);
    expect((await api(server, 'GET', `/api/designs/${good.designId}/publish`, admin)).status).toBe(405);
    // Rolling back to a version never published.
    const nope = await api(server, 'POST', '/api/plant/rollback', admin, { version: good.versionId });
    expect(nope).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(server.app.live.session.layout.equipment).toHaveLength(72);
    expect(publishAudit(server)).toEqual([]);
  });

  it('needs its confirmation: unknown, another version’s, another admin’s, expired or used ones are refused', async () => {
    const server = await start();
    const admin = await server.login('admin');
    const eng = await server.login('engineer');
    const layout = server.app.live.session.layout;
    const a = await saveVersion(server, eng, without(layout, 'L3-C3'));
    const b = await saveVersion(server, eng, without(layout, 'L2-C3'));
    const tokenA = (await publish(server, admin, a.designId, { version: a.versionId })).body.confirmation;
    const refused = async (body: unknown, designId = a.designId, token = admin) => {
      const r = await publish(server, token, designId, body);
      expect(r, JSON.stringify(body)).toMatchObject({ status: 409, body: { ok: false, code: 'CONFLICT' } });
      return r.body.message as string;
    };
    expect(await refused({ version: a.versionId, confirmation: 'not-a-token' })).toMatch(
      /unknown confirmation/,
    );
    expect(await refused({ version: b.versionId, confirmation: tokenA }, b.designId)).toMatch(/is for/);
    // Another admin, and the same admin asking to roll back with a publish's token.
    const pw = randomPassword();
    expect((await server.auth.addUser('admin2', 'admin', pw, TEST_ACTOR)).ok).toBe(true);
    const admin2 = await server.loginAs('admin2', pw);
    expect(await refused({ version: a.versionId, confirmation: tokenA }, a.designId, admin2)).toMatch(
      /another user/,
    );
    const cross = await api(server, 'POST', '/api/plant/rollback', admin, {
      version: 'base',
      confirmation: tokenA,
    });
    expect(cross).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    skewMs = PUBLISH_CONFIRMATION_TTL_MS + 1000;
    try {
      expect(await refused({ version: a.versionId, confirmation: tokenA })).toMatch(/expired/);
    } finally {
      skewMs = 0;
    }
    const tokenB = (await publish(server, admin, b.designId, { version: b.versionId })).body.confirmation;
    const ok = await publish(server, admin, b.designId, { version: b.versionId, confirmation: tokenB });
    expect(ok.status).toBe(200);
    expect(await refused({ version: b.versionId, confirmation: tokenB }, b.designId)).toMatch(/already used/);
    expect(server.app.live.session.layout.equipment.map((e) => e.id)).not.toContain('L2-C3');
    expect(publishAudit(server)).toHaveLength(1);
  });

  it('rolls back to the plant file and to an earlier published version, two-step and audited', async () => {
    const server = await start();
    const admin = await server.login('admin');
    const eng = await server.login('engineer');
    const base = server.app.live.session.layout;
    const a = await saveVersion(server, eng, without(base, 'L3-C3'));
    const b = await saveVersion(server, eng, without(without(base, 'L3-C3'), 'L2-C3'));
    expect((await publishBoth(server, admin, a.designId, a.versionId)).status).toBe(200);
    expect((await publishBoth(server, admin, b.designId, b.versionId)).status).toBe(200);
    expect(server.app.live.session.layout.equipment).toHaveLength(70);
    const rollback = async (version: string) => {
      const first = await api(server, 'POST', '/api/plant/rollback', admin, { version });
      expect(first).toMatchObject({ status: 200, body: { published: false } });
      return api(server, 'POST', '/api/plant/rollback', admin, {
        version,
        confirmation: first.body.confirmation,
      });
    };
    const back = await rollback(a.versionId);
    expect(back).toMatchObject({
      status: 200,
      body: { published: true, entry: { version: a.versionId, rollback: true } },
    });
    expect(server.app.live.session.layout.equipment).toHaveLength(71);
    const toBase = await rollback('base');
    expect(toBase).toMatchObject({
      status: 200,
      body: { published: true, entry: { version: 'base', rollback: true } },
    });
    expect(server.app.live.session.layout).toEqual(base);
    const list = (await api(server, 'GET', '/api/plant/versions', admin)).body.versions as {
      version: string;
      live: boolean;
    }[];
    expect(list.map((v) => v.version)).toEqual(['base', a.versionId, b.versionId, a.versionId, 'base']);
    expect(list.map((v) => v.live)).toEqual([false, false, false, false, true]);
    expect(publishAudit(server).map((e) => e.action)).toEqual([
      'design:rollback',
      'design:rollback',
      'design:publish',
      'design:publish',
    ]);
  });

  it('ends the live recording at the switch and starts a new one on the new layout; both replay', async () => {
    const server = await startTestServer({ seed: 5, security: FAST, record: { tuning: QUICK } });
    servers.push(server);
    const admin = await server.login('admin');
    const viewer = await server.client('viewer');
    const before = server.app.liveRecordingId!;
    expect(before).toMatch(/^live-/);
    const v = await saveVersion(
      server,
      await server.login('engineer'),
      without(server.session.layout, 'L3-C3'),
    );
    expect((await publishBoth(server, admin, v.designId, v.versionId)).status).toBe(200);
    const after = server.app.liveRecordingId!;
    expect(after).toMatch(/^live-/);
    expect(after).not.toBe(before);
    const list = async () =>
      (await api(server, 'GET', '/api/recordings', admin)).body.recordings as RecordingSummary[];
    await expect
      .poll(async () => (await list()).find((r) => r.id === before)?.endedAt ?? null, { timeout: 30_000 })
      .not.toBeNull();
    await expect
      .poll(async () => (await list()).find((r) => r.id === after)?.bytes ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(0);
    for (const [id, n] of [
      [before, 72],
      [after, 71],
    ] as const) {
      const a = await ask(viewer, 'replay:open', { id });
      expect(a.ok, id).toBe(true);
      expect((a as unknown as ReplayOpened).layout.equipment).toHaveLength(n);
    }
  });

  it('runs the last published version after a restart, and the plant file when it is given explicitly', async () => {
    const dataDir = tempDataDir();
    const first = await start({ dataDir, published: true });
    const admin = await first.login('admin');
    const eng = await first.login('engineer');
    const v = await saveVersion(first, eng, without(first.app.live.session.layout, 'L3-C3'));
    expect((await publishBoth(first, admin, v.designId, v.versionId)).status).toBe(200);
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const again = await start({ dataDir, published: true });
    expect(again.app.live.session.layout.equipment).toHaveLength(71);
    const c = await again.client('viewer');
    const snap = await new Promise<PlantSnapshot>((resolve) => {
      c.once('plant:snapshot', resolve);
      c.emit('plant:resync', () => {});
    });
    expect(snap.plant.equipment).toHaveLength(71);
    const list = await api(again, 'GET', '/api/plant/versions', await again.login('engineer'));
    expect(list.body).toMatchObject({ live: { version: v.versionId, equipment: 71 } });
    await again.close();
    servers.splice(servers.indexOf(again), 1);

    const explicit = await start({ dataDir, published: false });
    expect(explicit.app.live.session.layout.equipment).toHaveLength(72);
    const l = await api(explicit, 'GET', '/api/plant/versions', await explicit.login('engineer'));
    expect(l.body).toMatchObject({ live: { version: 'base', equipment: 72 } });
  });
});
