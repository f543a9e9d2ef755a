import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

/**
 * Plant ownership: exactly one node runs a plant's simulation, the holder of a lease in Redis.
 * The lease value is `<nodeId>:<token>`, where the token is a fencing token from a counter that
 * only grows, so every acquisition is told apart from every earlier one (the bus and the
 * PostgreSQL fence refuse what an older token sends or writes).
 *
 * An owner trusts its lease only until `sentAt + ttl - margin` by its OWN monotonic clock, where
 * sentAt is when it sent the acquire or renew that Redis answered: Redis sets the expiry when it
 * runs the command, which is after sentAt, so the owner always stops believing before Redis lets
 * another node in. A process paused (SIGSTOP, a long GC) and resumed sees its clock past that
 * point and knows it lost the plant before it does anything: call `stillOwner()` before every
 * publish and write.
 */

/** Redis key of a plant's lease. */
export const ownerKey = (plant: string) => `plant-twin:${plant}:owner`;
/** Redis key of a plant's fencing-token counter (INCR only, never reset by this code). */
export const fenceKey = (plant: string) => `plant-twin:${plant}:fence`;
/** Redis key of when the current lease was acquired (ms by Redis's clock), expiring with it. */
const sinceKey = (plant: string) => `plant-twin:${plant}:owner-since`;

/**
 * KEYS: owner, fence, since. ARGV: nodeId, ttl ms, token floor. Returns the new token, or when
 * someone holds the lease, minus the highest token Redis knows (theirs or the counter), so that a
 * contender learns it. The floor keeps tokens growing when Redis lost the counter (restarted
 * without persistence): the next token is above every token this node has seen.
 */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder then
  local theirs = tonumber(string.match(holder, ':(%d+)$')) or 0
  local counter = tonumber(redis.call('GET', KEYS[2])) or 0
  return -math.max(theirs, counter, 1)
end
local t = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
if t <= floor then
  t = floor + 1
  redis.call('SET', KEYS[2], string.format('%d', t))
end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. string.format('%d', t), 'PX', ARGV[2])
local now = redis.call('TIME')
redis.call('SET', KEYS[3], string.format('%d', now[1] * 1000 + math.floor(now[2] / 1000)), 'PX', ARGV[2])
return t
`;

/** KEYS: owner, since. ARGV: our value, ttl ms. 1 when still ours and extended, else 0. */
const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`;

/** KEYS: owner, since. ARGV: our value. 1 when it was ours and is gone now, else 0. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`;

/** KEYS: owner, since. Returns { value or false, since or false, now ms } by Redis's clock. */
const OWNER = `
local now = redis.call('TIME')
return { redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), string.format('%d', now[1] * 1000 + math.floor(now[2] / 1000)) }
`;

/** Who owns a plant right now, as Redis says. */
export interface LeaseOwner {
  nodeId: string;
  token: number;
  /** How long this owner has held the lease, ms, by Redis's clock (null if unknown). */
  ageMs: number | null;
}

/** Splits `<nodeId>:<token>` (a node id may itself contain ':'). */
export function parseLeaseValue(value: string): { nodeId: string; token: number } | null {
  const at = value.lastIndexOf(':');
  const token = Number(value.slice(at + 1));
  if (at < 0 || !Number.isSafeInteger(token) || token <= 0) return null;
  return { nodeId: value.slice(0, at), token };
}

export interface PlantLeaseOptions {
  redis: Redis;
  plant: string;
  nodeId: string;
  /** Lease lifetime in Redis, ms. */
  ttlMs?: number;
  /** How long before the Redis expiry the owner stops trusting its lease, ms (clock rate skew, scheduling). */
  marginMs?: number;
  /** Monotonic clock, ms (default performance.now: it does not jump with the wall clock). */
  now?: () => number;
  /**
   * The highest token known elsewhere (e.g. plant_owner.token in PostgreSQL), asked before each
   * acquire: new tokens stay above it even if Redis lost its counter and this node never saw it.
   */
  tokenFloor?: () => number | Promise<number>;
}

/** One node's handle on a plant's lease: the Redis operations and the owner's own-clock view. */
export class PlantLease {
  readonly plant: string;
  readonly nodeId: string;
  readonly ttlMs: number;
  readonly marginMs: number;
  private readonly redis: Redis;
  private readonly now: () => number;
  private readonly tokenFloor: (() => number | Promise<number>) | undefined;
  private held: { token: number; value: string } | null = null;
  /** Until when (monotonic ms) the current holding may be trusted. */
  private validUntil = Number.NEGATIVE_INFINITY;
  private highest = 0;

  constructor(opts: PlantLeaseOptions) {
    this.redis = opts.redis;
    this.plant = opts.plant;
    this.nodeId = opts.nodeId;
    this.ttlMs = opts.ttlMs ?? 3_000;
    this.marginMs = opts.marginMs ?? Math.max(50, Math.round(this.ttlMs / 5));
    if (this.marginMs >= this.ttlMs) throw new Error('lease margin must be shorter than its ttl');
    this.now = opts.now ?? (() => performance.now());
    this.tokenFloor = opts.tokenFloor;
  }

  /** The token of the lease this node holds (it may have expired by the clock: see stillOwner). */
  get token(): number | null {
    return this.held?.token ?? null;
  }

  /** The highest fencing token this node has seen: its own, another owner's (failed acquire, owner()), the floor. */
  get highestToken(): number {
    return this.highest;
  }

  /**
   * Whether this node may act as the owner at `nowMs` (monotonic ms, the clock given to the
   * lease): it holds a lease and its own clock says the lease cannot have expired in Redis.
   */
  stillOwner(nowMs: number = this.now()): boolean {
    return this.held !== null && nowMs < this.validUntil;
  }

  /** Monotonic ms until which the current lease may be trusted (-Infinity when none). */
  get trustedUntil(): number {
    return this.held ? this.validUntil : Number.NEGATIVE_INFINITY;
  }

  /**
   * Takes the lease if nobody holds it: returns the new fencing token, or null when another node
   * (or an earlier, lost holding of this one) has it. Throws when Redis cannot be reached.
   */
  async acquire(): Promise<number | null> {
    if (this.tokenFloor) this.highest = Math.max(this.highest, Number(await this.tokenFloor()) || 0);
    const sentAt = this.now();
    const t = Number(
      await this.redis.eval(
        ACQUIRE,
        3,
        ownerKey(this.plant),
        fenceKey(this.plant),
        sinceKey(this.plant),
        this.nodeId,
        this.ttlMs,
        this.highest,
      ),
    );
    this.highest = Math.max(this.highest, Math.abs(t));
    if (t <= 0) return null;
    this.held = { token: t, value: `${this.nodeId}:${t}` };
    this.validUntil = sentAt + this.ttlMs - this.marginMs;
    return t;
  }

  /**
   * Extends the lease by ttl if it is still ours; false (and no longer held) when it is not.
   * Throws when Redis cannot be reached (the lease stays trusted until its own-clock deadline).
   */
  async renew(): Promise<boolean> {
    const held = this.held;
    if (!held) return false;
    const sentAt = this.now();
    const ok = await this.redis.eval(
      RENEW,
      2,
      ownerKey(this.plant),
      sinceKey(this.plant),
      held.value,
      this.ttlMs,
    );
    // Dropped or replaced while the command was out: that holding is over, whatever Redis said.
    if (this.held !== held) return false;
    if (Number(ok) !== 1) {
      this.drop();
      return false;
    }
    this.validUntil = Math.max(this.validUntil, sentAt + this.ttlMs - this.marginMs);
    return true;
  }

  /**
   * Stops acting as owner at once, then deletes the lease in Redis if it is still ours so another
   * node can take over without waiting for the ttl. True when Redis deleted it.
   */
  async release(): Promise<boolean> {
    const held = this.held;
    this.drop();
    if (!held) return false;
    const r = await this.redis.eval(RELEASE, 2, ownerKey(this.plant), sinceKey(this.plant), held.value);
    return Number(r) === 1;
  }

  /** Forgets the holding locally (the node stops acting as owner); Redis is not asked. */
  drop(): void {
    this.held = null;
    this.validUntil = Number.NEGATIVE_INFINITY;
  }

  /** Who owns the plant now according to Redis, or null when nobody does. */
  async owner(): Promise<LeaseOwner | null> {
    const [value, since, now] = (await this.redis.eval(
      OWNER,
      2,
      ownerKey(this.plant),
      sinceKey(this.plant),
    )) as [string | null, string | null, string];
    if (!value) return null;
    const parsed = parseLeaseValue(value);
    if (!parsed) return null;
    this.highest = Math.max(this.highest, parsed.token);
    return { ...parsed, ageMs: since ? Math.max(0, Number(now) - Number(since)) : null };
  }
}

/** Why a node stopped owning the plant. */
export type LeaseLostReason =
  /** Its own clock passed the trusted deadline without a successful renew (Redis away, or a pause). */
  | 'expired'
  /** Redis answered that the lease is not ours any more. */
  | 'taken';

export interface RunLeaseOptions extends PlantLeaseOptions {
  /** How often the owner renews, ms; also how often a non-owner tries to acquire. */
  renewEveryMs?: number;
  /** Called when this node becomes the owner, with its new fencing token. */
  onAcquired?: (token: number) => void;
  /** Called when this node stops being the owner (not after `stop()`). */
  onLost?: (reason: LeaseLostReason) => void;
  /** Redis errors (unreachable, timeouts): the loop goes on; the own-clock deadline still holds. */
  onError?: (error: Error) => void;
}

/** A running lease loop. */
export interface LeaseRunner {
  readonly lease: PlantLease;
  /** Stops the loop and releases the lease if held (no onLost). */
  stop(): Promise<void>;
}

/**
 * Keeps trying to acquire the plant's lease while this node does not own it, and renews it while
 * it does. One Redis operation at a time (a hanging one delays the next, never overlaps it). A
 * timer at the own-clock deadline reports the loss even while Redis does not answer at all.
 */
export function runLease(opts: RunLeaseOptions): LeaseRunner {
  const lease = new PlantLease(opts);
  const every = opts.renewEveryMs ?? 1_000;
  if (every >= lease.ttlMs - lease.marginMs)
    throw new Error('the lease must be renewed more often than its trusted lifetime (ttl - margin)');
  const now = opts.now ?? (() => performance.now());
  let stopped = false;
  let owning = false;
  let loopTimer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const report = (e: unknown) => {
    try {
      opts.onError?.(e instanceof Error ? e : new Error(String(e)));
    } catch {}
  };
  const lost = (reason: LeaseLostReason) => {
    if (!owning) return;
    owning = false;
    clearTimeout(deadlineTimer);
    if (reason === 'expired') {
      // Let others in now rather than at the Redis expiry (a no-op if it is gone or not ours).
      lease.release().catch(report);
    } else lease.drop();
    try {
      opts.onLost?.(reason);
    } catch (e) {
      report(e);
    }
  };
  const armDeadline = () => {
    clearTimeout(deadlineTimer);
    if (stopped) return;
    const wait = Math.max(0, lease.trustedUntil - now());
    deadlineTimer = setTimeout(() => {
      if (owning && !lease.stillOwner()) lost('expired');
      else if (owning) armDeadline();
    }, wait + 1);
  };

  const step = async () => {
    if (owning) {
      if (!lease.stillOwner()) return lost('expired');
      if (await lease.renew()) armDeadline();
      else if (!stopped) lost('taken');
      return;
    }
    const token = await lease.acquire();
    if (token === null) return;
    if (stopped || !lease.stillOwner()) {
      // Stopped meanwhile, or the answer came too late to trust: give it back.
      await lease.release();
      return;
    }
    owning = true;
    armDeadline();
    try {
      opts.onAcquired?.(token);
    } catch (e) {
      report(e);
    }
  };
  const loop = () => {
    if (stopped) return;
    running = step()
      .catch(report)
      .finally(() => {
        if (!stopped) loopTimer = setTimeout(loop, every);
      });
  };
  loop();

  return {
    lease,
    async stop() {
      stopped = true;
      clearTimeout(loopTimer);
      clearTimeout(deadlineTimer);
      owning = false;
      // A lease taken by an operation still out is given back by the loop itself (see step).
      // Not awaited without bound: against a paused Redis the operation hangs.
      const bounded = (p: Promise<unknown>) =>
        Promise.race([p.catch(report), new Promise((r) => setTimeout(r, lease.ttlMs).unref())]);
      await bounded(running);
      await bounded(lease.release());
    },
  };
}
