import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameToObjects, type EquipmentKind, type PlantSnapshot } from '../../protocol';
import { MAX_INBOUND_BYTES } from '../../server/app';
import {
  connectClient,
  nextEvent,
  sleep,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../helpers/server';

let server: TestServer;
const clients: TestClient[] = [];
/** A viewer's token: watching the plant needs a login like everything else. */
let token = '';

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login('viewer');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.close();
});

function client(): TestClient {
  const c = connectClient(server.url, { token });
  clients.push(c);
  return c;
}

function toArrayBuffer(b: unknown): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b;
  const u = b as Uint8Array;
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}

describe('live plant over a real Socket.IO connection', () => {
  it('sends a snapshot on connect with the layout, a full keyframe and KPIs', async () => {
    const c = client();
    const snap = await nextEvent(c, 'plant:snapshot');
    expect(snap.plant.equipment.length).toBeGreaterThanOrEqual(60);
    const kinds = snap.plant.equipment.map((e) => e.kind);
    const key = decodeFrameToObjects(toArrayBuffer(snap.keyframe), kinds);
    expect(key.entries).toHaveLength(kinds.length);
    expect(snap.kpis.lines.length).toBe(snap.plant.lines.length);
    expect(snap.tickHz).toBe(10);
  });

  it('streams binary frames at about 10 Hz in which AGVs move', async () => {
    const c = client();
    const snap: PlantSnapshot = await nextEvent(c, 'plant:snapshot');
    const kinds: EquipmentKind[] = snap.plant.equipment.map((e) => e.kind);
    const agvs = new Set(kinds.flatMap((k, i) => (k === 'agv' ? [i] : [])));
    const first = new Map<number, number[]>();
    const last = new Map<number, number[]>();
    let frames = 0;
    let bytes = 0;
    c.on('telemetry:frame', (buf) => {
      const ab = toArrayBuffer(buf);
      frames++;
      bytes += ab.byteLength;
      for (const e of decodeFrameToObjects(ab, kinds).entries) {
        if (!agvs.has(e.index) || !e.pose) continue;
        if (!first.has(e.index)) first.set(e.index, e.pose);
        last.set(e.index, e.pose);
      }
    });
    await sleep(3000);
    // 10 Hz for 3 s is 30 frames; a loaded CI machine may drop a few volatile ones.
    expect(frames).toBeGreaterThanOrEqual(18);
    expect(frames).toBeLessThanOrEqual(36);
    expect(bytes / frames).toBeLessThan(20_000);
    const moved = [...last].filter(([i, p]) => {
      const f = first.get(i)!;
      return Math.hypot(p[0] - f[0], p[2] - f[2]) > 0.2;
    });
    expect(moved.length).toBeGreaterThan(0);
  });

  it('sends events and KPI updates as they happen', async () => {
    const c = client();
    await nextEvent(c, 'plant:snapshot');
    const kpis = await nextEvent<{ lines: unknown[] }>(c, 'kpi:update');
    expect(kpis.lines.length).toBeGreaterThan(0);
  });

  it('answers a resync with a fresh snapshot', async () => {
    const c = client();
    const first = await nextEvent(c, 'plant:snapshot');
    const again = nextEvent(c, 'plant:snapshot');
    const ack = await c.timeout(5000).emitWithAck('plant:resync');
    expect(ack).toMatchObject({ ok: true });
    const snap = await again;
    expect(snap.tick).toBeGreaterThanOrEqual(first.tick);
  });

  it('gives a reconnecting client a new snapshot', async () => {
    const c = client();
    const first = await nextEvent(c, 'plant:snapshot');
    const second = nextEvent(c, 'plant:snapshot');
    // Drop the transport as a network failure would; the client reconnects by itself.
    c.io.engine.close();
    const snap = await second;
    expect(snap.tick).toBeGreaterThanOrEqual(first.tick);
    expect(c.connected).toBe(true);
  });

  it('survives garbage from a client and keeps streaming', async () => {
    const c = client();
    await nextEvent(c, 'plant:snapshot');
    const raw = c as unknown as { emit: (...a: unknown[]) => void };
    raw.emit('plant:resync', { __proto__: { polluted: true } }, 'not-a-function');
    raw.emit('plant:resync', new Uint8Array(100));
    raw.emit('no:such-event', 1, 2, 3);
    raw.emit('plant:resync', 'x'.repeat(10_000));
    await sleep(200);
    const watcher = client();
    await nextEvent(watcher, 'plant:snapshot');
    await nextEvent(watcher, 'telemetry:frame');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops a client that sends a message over the size limit, and only that client', async () => {
    const big = client();
    await nextEvent(big, 'plant:snapshot');
    const closed = nextEvent(big, 'disconnect');
    (big as unknown as { emit: (...a: unknown[]) => void }).emit(
      'plant:resync',
      'x'.repeat(MAX_INBOUND_BYTES + 1024),
    );
    expect(await closed).toBeTruthy();
    const other = client();
    await nextEvent(other, 'telemetry:frame');
  });
});

describe('HTTP', () => {
  it('reports health as JSON', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok' });
    expect(body.equipment).toBeGreaterThanOrEqual(60);
    expect(typeof body.clients).toBe('number');
    expect(typeof body.uptimeS).toBe('number');
  });

  it('refuses other methods and unknown API routes with a JSON error', async () => {
    const post = await fetch(`${server.url}/healthz`, { method: 'POST', body: '{"x":' });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ ok: false, code: 'INVALID' });
    const api = await fetch(`${server.url}/api/nothing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
