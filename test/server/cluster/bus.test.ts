import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BusGap,
  busChannel,
  ClusterBus,
  encodeBusMessage,
  type OwnerCheck,
} from '../../../server/cluster/bus';
import { PlantLease } from '../../../server/cluster/lease';
import { hasRedis, startRedis, type TestRedis } from '../../helpers/redis';

/** Long enough that no lease in these tests expires by itself, ms. */
const TTL_MS = 120_000;
const POLL = { timeout: 20_000, interval: 20 };

/** What one subscriber got. */
interface Heard {
  frames: number[];
  items: unknown[];
  gaps: BusGap[];
}

describe.skipIf(!hasRedis)('cluster bus', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const buses: ClusterBus[] = [];
  let plantNo = 0;
  const freshPlant = () => `bus-${process.pid}-${++plantNo}`;
  const client = () => {
    const r = new Redis(server.url);
    r.on('error', () => {});
    clients.push(r);
    return r;
  };
  /** A frame carrying its number, so order and duplicates show. */
  const frame = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(n, 0);
    b.writeUInt32BE(0xfeedf00d, 4);
    return b;
  };
  const ownerLease = async (plant: string, nodeId = 'owner') => {
    const lease = new PlantLease({ redis: client(), plant, nodeId, ttlMs: TTL_MS });
    expect(await lease.acquire()).not.toBeNull();
    return lease;
  };
  const bus = (plant: string, lease?: OwnerCheck) => {
    const b = new ClusterBus({ redis: client(), plant, lease });
    buses.push(b);
    return b;
  };
  /** A node that only listens, recording what it hears. */
  const listener = async (plant: string) => {
    const heard: Heard = { frames: [], items: [], gaps: [] };
    const b = new ClusterBus({
      redis: client(),
      plant,
      onFrame: (f) => heard.frames.push(f.readUInt32BE(0)),
      onItems: (i) => heard.items.push(i),
      onGap: (g) => heard.gaps.push(g),
    });
    buses.push(b);
    await b.start();
    return { bus: b, heard };
  };

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers every frame and item once, in order, to each of three subscribers', async () => {
    const plant = freshPlant();
    const subs = await Promise.all([1, 2, 3].map(() => listener(plant)));
    const owner = bus(plant, await ownerLease(plant));
    const N = 300;
    for (let i = 0; i < N; i++) {
      expect(await owner.publishFrame(frame(i))).toBe(true);
      if (i % 10 === 0)
        expect(await owner.publishItems({ events: [{ n: i }], kpis: { oee: 0.5 } })).toBe(true);
    }
    const all = Array.from({ length: N }, (_, i) => i);
    for (const s of subs) {
      await expect.poll(() => s.heard.frames.length, POLL).toBe(N);
      expect(s.heard.frames).toEqual(all);
      expect(s.heard.items).toEqual(
        all.filter((i) => i % 10 === 0).map((n) => ({ events: [{ n }], kpis: { oee: 0.5 } })),
      );
      expect(s.heard.gaps).toEqual([]);
      expect(s.bus.stats()).toMatchObject({ received: N + N / 10, stale: 0, gaps: 0, malformed: 0 });
      expect(s.bus.stats().lastMessageAt).not.toBeNull();
    }
  });

  it('drops a message from an older token once a newer one has been heard', async () => {
    const plant = freshPlant();
    const sub = await listener(plant);
    const first = await ownerLease(plant, 'first');
    const oldToken = first.token!;
    // The first owner's bus, with a clock that lies: it still believes it owns the plant.
    const stale = bus(plant, { token: oldToken, stillOwner: () => true });
    expect(await stale.publishFrame(frame(1))).toBe(true);
    await first.release();
    const second = bus(plant, await ownerLease(plant, 'second'));
    expect(await second.publishFrame(frame(2))).toBe(true);
    expect(await stale.publishFrame(frame(3))).toBe(true); // Redis took it; subscribers must not
    expect(await second.publishFrame(frame(4))).toBe(true);
    await expect.poll(() => sub.heard.frames, POLL).toEqual([1, 2, 4]);
    expect(sub.bus.stats()).toMatchObject({ stale: 1, received: 3, highestToken: oldToken + 1 });
    expect(sub.heard.gaps).toEqual([]);
  });

  it('reports a gap when sequence numbers are missing', async () => {
    const plant = freshPlant();
    const sub = await listener(plant);
    const raw = client();
    const send = (seq: number) =>
      raw.publish(busChannel(plant, 'frame'), encodeBusMessage(7, seq, frame(seq)));
    for (const seq of [1, 2, 5, 6, 8]) await send(seq);
    await expect.poll(() => sub.heard.frames, POLL).toEqual([1, 2, 5, 6, 8]);
    expect(sub.heard.gaps).toEqual([
      { channel: 'frame', token: 7, expected: 3, got: 5, missed: 2 },
      { channel: 'frame', token: 7, expected: 7, got: 8, missed: 1 },
    ]);
    expect(sub.bus.stats()).toMatchObject({ gaps: 2, missed: 3 });
  });

  it('counts and drops 1,000 malformed messages, and the next good frame still arrives', async () => {
    const plant = freshPlant();
    const sub = await listener(plant);
    const raw = client();
    const good = encodeBusMessage(3, 1, Buffer.from('{}'));
    const junk: [string, Buffer | string][] = [];
    for (let i = 0; i < 1_000; i++) {
      const channel = busChannel(plant, i % 2 ? 'frame' : 'items');
      switch (i % 5) {
        case 0: // items whose payload is not JSON, under a valid header with a huge token
          junk.push([
            busChannel(plant, 'items'),
            encodeBusMessage(2 ** 40, 1, Buffer.from(`{not json ${i}`)),
          ]);
          break;
        case 1: // shorter than a header
          junk.push([channel, Buffer.from([0x50, 0x54, 1, i % 256])]);
          break;
        case 2: // wrong magic
          junk.push([channel, Buffer.concat([Buffer.from('XX'), good.subarray(2)])]);
          break;
        case 3: // a format version from the future
          junk.push([channel, Buffer.concat([good.subarray(0, 2), Buffer.from([9]), good.subarray(3)])]);
          break;
        default: // text, and an empty message
          junk.push([channel, i % 10 === 4 ? `hello ${i}` : '']);
      }
    }
    await Promise.all(junk.map(([c, m]) => raw.publish(c, m)));
    const owner = bus(plant, await ownerLease(plant));
    expect(await owner.publishFrame(frame(42))).toBe(true);
    await expect.poll(() => sub.heard.frames, POLL).toEqual([42]);
    expect(sub.bus.stats()).toMatchObject({ malformed: 1_000, received: 1, stale: 0 });
    expect(sub.heard.items).toEqual([]);
  });

  it('refuses to publish for a node that does not own the plant, and nothing is sent', async () => {
    const plant = freshPlant();
    const sub = await listener(plant);
    const other = new PlantLease({ redis: client(), plant, nodeId: 'other', ttlMs: TTL_MS });
    const noLease = bus(plant);
    const notOwner = bus(plant, other);
    expect(await noLease.publishFrame(frame(1))).toBe(false);
    expect(await notOwner.publishFrame(frame(2))).toBe(false);
    expect(await notOwner.publishItems({ n: 2 })).toBe(false);
    const owner = await ownerLease(plant, 'owner');
    expect(await other.acquire()).toBeNull(); // someone else holds it
    expect(await notOwner.publishFrame(frame(3))).toBe(false);
    const ownerBus = bus(plant, owner);
    expect(await ownerBus.publishFrame(frame(4))).toBe(true);
    await owner.release();
    expect(await ownerBus.publishFrame(frame(5))).toBe(false);
    // The owner's frame is the only one anybody hears.
    const owner2 = bus(plant, await ownerLease(plant, 'owner2'));
    expect(await owner2.publishFrame(frame(6))).toBe(true);
    await expect.poll(() => sub.heard.frames, POLL).toEqual([4, 6]);
  });
});
