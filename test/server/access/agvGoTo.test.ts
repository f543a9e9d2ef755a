import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameToObjects, type EquipmentKind } from '../../../protocol';
import { nextEvent, sleep, startTestServer, type TestServer } from '../../helpers/server';
import { command, newCommandId, refusal, send } from './support';

/** Simulation speed of this test (×): a drive across the hall takes a few real seconds. */
const SPEED = 20;
/** How close counts as arrived, m (a node is a point; the codec quantizes poses). */
const ARRIVED_M = 0.5;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: 6, speed: SPEED });
});
afterAll(async () => {
  await server?.close();
});

function toArrayBuffer(b: unknown): ArrayBuffer {
  if (b instanceof ArrayBuffer) return b;
  const u = b as Uint8Array;
  return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
}

describe('an AGV sent to a node', () => {
  it('drives there along the graph, as the telemetry shows, and waits there', async () => {
    const op = await server.client('operator');
    const next = nextEvent(op, 'plant:snapshot');
    expect(await send(op, 'plant:resync')).toMatchObject({ ok: true });
    const snap = await next;
    const kinds: EquipmentKind[] = snap.plant.equipment.map((e) => e.kind);
    const index = kinds.indexOf('agv');
    const agv = snap.plant.equipment[index].id;
    const start = decodeFrameToObjects(toArrayBuffer(snap.keyframe), kinds).entries.find(
      (e) => e.index === index,
    )!.pose!;
    // The aisle node farthest from where the AGV stands now.
    const aisles = snap.plant.paths!.nodes.filter((n) => /^(HA|TA|A1|A2)-/.test(n.id));
    const dist = (p: [number, number]) => Math.hypot(p[0] - start[0], p[1] - start[2]);
    const node = aisles.reduce((a, b) =>
      dist(b.position as [number, number]) > dist(a.position as [number, number]) ? b : a,
    );
    expect(dist(node.position as [number, number])).toBeGreaterThan(10);

    const req = {
      commandId: newCommandId('drive'),
      equipmentId: agv,
      action: 'go-to' as const,
      params: { node: node.id },
    };
    const confirmation = refusal(await command(op, req)).confirmation!;
    const t0 = snap.simTimeS;
    let simTimeS = t0;
    let closest = Number.POSITIVE_INFINITY;
    const arrived = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${agv} came within ${closest.toFixed(1)} m of ${node.id} only`)),
        25_000,
      );
      op.on('telemetry:frame', (buf) => {
        const frame = decodeFrameToObjects(toArrayBuffer(buf), kinds);
        simTimeS = frame.simTimeS;
        const e = frame.entries.find((x) => x.index === index);
        if (!e?.pose) return;
        const d = Math.hypot(e.pose[0] - node.position[0], e.pose[2] - node.position[1]);
        closest = Math.min(closest, d);
        if (d > ARRIVED_M) return;
        clearTimeout(timer);
        resolve(simTimeS);
      });
    });
    expect(await command(op, { ...req, confirmation })).toMatchObject({
      ok: true,
      message: `${agv} driving to ${node.id}`,
    });
    const at = await arrived;
    // At most a few minutes of plant time for a drive across the hall (1.5 m/s AGVs, waits at crossings).
    expect(at - t0).toBeLessThan(300);
    // Commanded AGVs hold at the node until resumed: 20 s of plant time later it is still there.
    await sleep(1000);
    const world = server.session.world.equipment[index].pose!;
    expect(Math.hypot(world[0] - node.position[0], world[2] - node.position[1])).toBeLessThan(ARRIVED_M);
  }, 40_000);
});
