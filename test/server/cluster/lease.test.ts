import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LeaseLostReason, type LeaseRunner, PlantLease, runLease } from '../../../server/cluster/lease';
import { spawnTracked } from '../../helpers/processes';
import { canControlRedis, hasRedis, startRedis, type TestRedis } from '../../helpers/redis';

/** Lease lifetime and renew interval for these tests, ms: short enough to fail over quickly. */
const TTL_MS = 3_000;
const RENEW_MS = 500;
/** Poll limits: generous, the machine is shared and loaded. */
const POLL = { timeout: 20_000, interval: 20 };

describe.skipIf(!hasRedis)('plant lease', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const runners: LeaseRunner[] = [];
  let plantNo = 0;
  /** A plant name no other test uses (the file shares one Redis). */
  const freshPlant = () => `lease-${process.pid}-${++plantNo}`;
  const client = (url = server.url) => {
    const r = new Redis(url);
    r.on('error', () => {}); // reconnects on its own; the tests watch the lease, not the socket
    clients.push(r);
    return r;
  };

  /** A contender with its events recorded. */
  const contender = (plant: string, nodeId: string, extra: { ttlMs?: number; redis?: Redis } = {}) => {
    const events: { acquired?: number; lost?: LeaseLostReason }[] = [];
    const redis = extra.redis ?? client();
    const runner = runLease({
      redis,
      plant,
      nodeId,
      ttlMs: extra.ttlMs ?? TTL_MS,
      renewEveryMs: RENEW_MS,
      onAcquired: (token) => events.push({ acquired: token }),
      onLost: (reason) => events.push({ lost: reason }),
    });
    runners.push(runner);
    return { runner, events, redis, owns: () => runner.lease.stillOwner() };
  };

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lets only one of three contenders own the plant at a time, with tokens growing across owners', async () => {
    const plant = freshPlant();
    const tokens: number[] = [];
    let contenders = ['a', 'b', 'c'].map((id) => contender(plant, id));
    /** Owners cut off from Redis: still watched, as they must not believe they own. */
    const cutOff: typeof contenders = [];
    let overlaps = 0;
    const sampler = setInterval(() => {
      if ([...new Set([...contenders, ...cutOff])].filter((c) => c.owns()).length > 1) overlaps++;
    }, 2);
    try {
      for (let handover = 0; handover < 4; handover++) {
        await expect.poll(() => contenders.filter((c) => c.owns()).length, POLL).toBe(1);
        const owner = contenders.find((c) => c.owns())!;
        const token = owner.runner.lease.token!;
        tokens.push(token);
        const seen = await new PlantLease({ redis: client(), plant, nodeId: 'observer' }).owner();
        expect(seen).toMatchObject({ nodeId: owner.runner.lease.nodeId, token });
        expect(seen!.ageMs).toBeGreaterThanOrEqual(0);
        if (handover % 2 === 0) {
          // The owner leaves cleanly, releasing the lease.
          await owner.runner.stop();
        } else {
          // The owner loses its connection: its lease runs out in Redis, it must give up first.
          owner.redis.disconnect();
          cutOff.push(owner);
          await expect.poll(() => owner.events.at(-1), POLL).toEqual({ lost: 'expired' });
        }
        // A fresh contender joins so there are three again.
        contenders = [
          ...contenders.filter((c) => c !== owner),
          contender(plant, `${owner.runner.lease.nodeId}+`),
        ];
      }
    } finally {
      clearInterval(sampler);
    }
    expect(overlaps).toBe(0);
    expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('gives the plant to another contender once the owner stops renewing, and the owner knows it lost', async () => {
    const plant = freshPlant();
    const quiet = new PlantLease({ redis: client(), plant, nodeId: 'quiet', ttlMs: TTL_MS });
    const first = await quiet.acquire();
    expect(first).not.toBeNull();
    expect(quiet.stillOwner()).toBe(true);
    let quietOwnedWhenTakenOver: boolean | null = null;
    const events: number[] = [];
    const runner = runLease({
      redis: client(),
      plant,
      nodeId: 'next',
      ttlMs: TTL_MS,
      renewEveryMs: RENEW_MS,
      onAcquired: (token) => {
        quietOwnedWhenTakenOver = quiet.stillOwner();
        events.push(token);
      },
    });
    runners.push(runner);
    await expect.poll(() => events.length, POLL).toBe(1);
    expect(quietOwnedWhenTakenOver).toBe(false);
    expect(events[0]).toBeGreaterThan(first!);
    expect(await quiet.renew()).toBe(false);
    expect(quiet.token).toBeNull();
  });

  it('lets another contender take over at once when the owner releases', async () => {
    const plant = freshPlant();
    // A ttl far longer than the poll: only the release can explain a takeover in time.
    const a = contender(plant, 'a', { ttlMs: 120_000 });
    await expect.poll(() => a.owns(), POLL).toBe(true);
    const b = contender(plant, 'b', { ttlMs: 120_000 });
    expect(b.owns()).toBe(false);
    await a.runner.stop();
    expect(a.owns()).toBe(false);
    await expect.poll(() => b.owns(), { ...POLL, timeout: 10_000 }).toBe(true);
    expect(b.runner.lease.token).toBeGreaterThan(a.events[0].acquired!);
  });

  it.skipIf(!canControlRedis)(
    'tells an owner paused with SIGSTOP that it lost the plant before it publishes again',
    async () => {
      const plant = freshPlant();
      const child = spawnTracked(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, 'leaseChild.ts'),
          server.url,
          plant,
          'child',
          String(TTL_MS),
          String(RENEW_MS),
        ],
        { cwd: join(__dirname, '..', '..', '..') },
      );
      type ChildEvent = { event: string; token?: number; reason?: string };
      const childEvents = (): ChildEvent[] =>
        child
          .stdout()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      const seen: string[] = [];
      const sub = client();
      await sub.subscribe(`plant-twin:${plant}:test-publish`);
      sub.on('message', (_channel, message) => seen.push(message));
      await expect.poll(() => seen.length, { ...POLL, timeout: 60_000 }).toBeGreaterThan(3);
      const staleToken = childEvents().find((e) => e.event === 'acquired')!.token!;

      process.kill(-child.pid, 'SIGSTOP');
      const next = contender(plant, 'next');
      await expect.poll(() => next.owns(), POLL).toBe(true);
      expect(next.runner.lease.token).toBeGreaterThan(staleToken);
      const eventsBefore = childEvents().length;
      const seenBefore = seen.length;

      process.kill(-child.pid, 'SIGCONT');
      await expect
        .poll(
          () =>
            childEvents()
              .slice(eventsBefore)
              .map((e) => e.event),
          POLL,
        )
        .toContain('lost');
      const after = childEvents().slice(eventsBefore);
      expect(after.filter((e) => e.event === 'published')).toEqual([]);
      expect(after.find((e) => e.event === 'lost')).toEqual({ event: 'lost', reason: 'expired' });
      // A marker sent after the loss: once it arrives, whatever the child sent before has too.
      await client().publish(`plant-twin:${plant}:test-publish`, 'marker');
      await expect.poll(() => seen.includes('marker'), POLL).toBe(true);
      expect(seen.slice(seenBefore)).toEqual(['marker']);
      expect(next.owns()).toBe(true);
    },
    90_000,
  );

  it.skipIf(!canControlRedis)(
    'reports the loss by its own clock when Redis dies, and owns again with a higher token once it is back',
    async () => {
      const own = await startRedis();
      const plant = freshPlant();
      const a = contender(plant, 'a', { redis: client(own.url) });
      await expect.poll(() => a.owns(), POLL).toBe(true);
      const first = a.runner.lease.token!;
      await own.kill();
      await expect.poll(() => a.events.filter((e) => e.lost), POLL).toEqual([{ lost: 'expired' }]);
      expect(a.owns()).toBe(false);
      await own.restart();
      await expect.poll(() => a.owns(), { ...POLL, timeout: 40_000 }).toBe(true);
      // Redis restarted empty, counter included: the token still grows.
      expect(a.runner.lease.token).toBeGreaterThan(first);
    },
    60_000,
  );

  it.skipIf(!canControlRedis)(
    'gives a contender that never owned a token above the last owner token after Redis lost its counter',
    async () => {
      const own = await startRedis();
      const plant = freshPlant();
      const a = contender(plant, 'a', { redis: client(own.url) });
      await expect.poll(() => a.owns(), POLL).toBe(true);
      const b = contender(plant, 'b', { redis: client(own.url) });
      // b learns the owner's token from its failed attempts.
      await expect.poll(() => b.runner.lease.highestToken, POLL).toBe(a.runner.lease.token);
      a.redis.disconnect(); // a is gone for good; its lease dies with Redis
      await own.restart();
      await expect.poll(() => b.owns(), { ...POLL, timeout: 40_000 }).toBe(true);
      expect(b.runner.lease.token).toBeGreaterThan(a.events[0].acquired!);
    },
    60_000,
  );

  it('keeps new tokens above a floor known elsewhere (the database)', async () => {
    const plant = freshPlant();
    const lease = new PlantLease({ redis: client(), plant, nodeId: 'n', tokenFloor: async () => 41 });
    expect(await lease.acquire()).toBe(42);
    await lease.release();
    expect(await lease.acquire()).toBe(43);
  });
});
