import type { Redis } from 'ioredis';

/**
 * The plant's fan-out between nodes over Redis pub/sub: the owner publishes each tick's frame
 * (binary, as-is) and its items (events, KPIs, alarm transitions as JSON) once; every node
 * subscribes and hands them to its own Socket.IO clients.
 *
 * Every message starts with a 13-byte header: magic "PT", format version, the owner's fencing
 * token (uint48 BE) and a per-owner, per-channel sequence number (uint32 BE). Subscribers drop
 * messages from a token older than the newest they have seen (a resumed stale owner), count the
 * sequence numbers that never came (gaps), and count and drop anything that is not a message.
 */

/** Sent by the owner, read by every node. */
export type BusChannel = 'frame' | 'items';

/** Redis channel of a plant's frames or items. */
export const busChannel = (plant: string, channel: BusChannel) => `plant-twin:${plant}:${channel}`;

const MAGIC_0 = 0x50; // 'P'
const MAGIC_1 = 0x54; // 'T'
const VERSION = 1;
/** Header bytes: magic (2), version (1), token (6), seq (4). */
export const HEADER_BYTES = 13;
/** Largest token the header carries (uint48). */
const MAX_TOKEN = 2 ** 48 - 1;
const MAX_SEQ = 2 ** 32 - 1;

/** Header plus payload, as published. */
export function encodeBusMessage(token: number, seq: number, payload: Uint8Array): Buffer {
  if (!Number.isSafeInteger(token) || token < 1 || token > MAX_TOKEN)
    throw new RangeError(`bad token ${token}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`bad sequence number ${seq}`);
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = VERSION;
  out.writeUIntBE(token, 3, 6);
  out.writeUInt32BE(seq, 9);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** The header and payload of a message, or null when it is not one. */
export function decodeBusMessage(msg: Buffer): { token: number; seq: number; payload: Buffer } | null {
  if (msg.length < HEADER_BYTES || msg[0] !== MAGIC_0 || msg[1] !== MAGIC_1 || msg[2] !== VERSION)
    return null;
  const token = msg.readUIntBE(3, 6);
  const seq = msg.readUInt32BE(9);
  if (token < 1 || seq < 1) return null;
  return { token, seq, payload: msg.subarray(HEADER_BYTES) };
}

/** What the bus needs of the lease (PlantLease has it). */
export interface OwnerCheck {
  /** The fencing token of the lease held, or null. */
  readonly token: number | null;
  /** Whether this node may act as owner now (its own clock). */
  stillOwner(): boolean;
}

/** Where a message came from. */
export interface BusMeta {
  token: number;
  seq: number;
}

/** Messages that never arrived from the current owner on one channel. */
export interface BusGap {
  channel: BusChannel;
  token: number;
  /** The sequence number expected next. */
  expected: number;
  /** The one that came. */
  got: number;
  /** How many are missing (got - expected). */
  missed: number;
}

/** Counters since the bus started (for /healthz and metrics). */
export interface BusStats {
  /** Messages accepted and handed on. */
  received: number;
  /** Dropped: an older token than the newest seen, or a sequence number already passed. */
  stale: number;
  /** Gaps seen, and how many messages they add up to. */
  gaps: number;
  missed: number;
  /** Dropped: not a bus message, or items that are not JSON. */
  malformed: number;
  /** The newest fencing token seen (0: none yet). */
  highestToken: number;
  /** Wall time of the last accepted message, ms since epoch (null: none yet): for staleness. */
  lastMessageAt: number | null;
}

export interface ClusterBusOptions<Items> {
  /** A connection to copy: the bus opens a publisher and a subscriber connection of its own. */
  redis: Redis;
  plant: string;
  /** The lease that allows publishing; without one this bus only listens. */
  lease?: OwnerCheck;
  onFrame?: (frame: Buffer, meta: BusMeta) => void;
  onItems?: (items: Items, meta: BusMeta) => void;
  onGap?: (gap: BusGap) => void;
  /** A handler threw: the bus goes on with the next message. */
  onError?: (error: Error) => void;
  /** Wall clock, ms since epoch: only stamps lastMessageAt. */
  now?: () => number;
}

/** One node's end of a plant's bus. `Items` is the shape of the JSON the owner publishes. */
export class ClusterBus<Items = unknown> {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly names: Record<BusChannel, string>;
  private readonly opts: ClusterBusOptions<Items>;
  private readonly now: () => number;
  private closed = false;
  /** Publishing side: the token the sequence numbers belong to, and the last number per channel. */
  private pubToken = 0;
  private readonly pubSeq: Record<BusChannel, number> = { frame: 0, items: 0 };
  /** Receiving side: the last sequence number per channel from the newest token (0: none yet). */
  private readonly lastSeq: Record<BusChannel, number> = { frame: 0, items: 0 };
  private readonly counters: BusStats = {
    received: 0,
    stale: 0,
    gaps: 0,
    missed: 0,
    malformed: 0,
    highestToken: 0,
    lastMessageAt: null,
  };

  constructor(opts: ClusterBusOptions<Items>) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.names = { frame: busChannel(opts.plant, 'frame'), items: busChannel(opts.plant, 'items') };
    this.publisher = opts.redis.duplicate();
    this.subscriber = opts.redis.duplicate();
    // Connection errors are retried by ioredis; publish reports them by returning false.
    this.publisher.on('error', () => {});
    this.subscriber.on('error', () => {});
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel, message));
  }

  /** Subscribes to the plant's channels; resolves once Redis confirmed. */
  async start(): Promise<void> {
    await this.subscriber.subscribe(this.names.frame, this.names.items);
  }

  /** Publishes a frame as-is. False (never throws) when this node is not the owner or Redis failed. */
  publishFrame(frame: Uint8Array): Promise<boolean> {
    return this.publish('frame', frame);
  }

  /** Publishes items as JSON. False (never throws) when not the owner, not serializable, or Redis failed. */
  publishItems(items: Items): Promise<boolean> {
    let json: string | undefined;
    try {
      json = JSON.stringify(items);
    } catch {
      return Promise.resolve(false);
    }
    if (json === undefined) return Promise.resolve(false);
    return this.publish('items', Buffer.from(json));
  }

  /** A copy of the counters. */
  stats(): BusStats {
    return { ...this.counters };
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.publisher, this.subscriber].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private async publish(channel: BusChannel, payload: Uint8Array): Promise<boolean> {
    const lease = this.opts.lease;
    if (this.closed || !lease) return false;
    try {
      // Checked right before sending, with nothing awaited in between.
      const token = lease.token;
      if (token === null || !lease.stillOwner()) return false;
      if (token !== this.pubToken) {
        this.pubToken = token;
        this.pubSeq.frame = 0;
        this.pubSeq.items = 0;
      }
      // Taken even if the send fails: subscribers then see the loss as a gap.
      const seq = ++this.pubSeq[channel];
      await this.publisher.publish(this.names[channel], encodeBusMessage(token, seq, payload));
      return true;
    } catch {
      return false;
    }
  }

  private receive(channelName: Buffer, message: Buffer): void {
    const name = channelName.toString();
    const channel: BusChannel | null =
      name === this.names.frame ? 'frame' : name === this.names.items ? 'items' : null;
    const c = this.counters;
    const msg = channel ? decodeBusMessage(message) : null;
    if (!channel || !msg) {
      c.malformed++;
      return;
    }
    let items: Items | undefined;
    if (channel === 'items') {
      try {
        items = JSON.parse(msg.payload.toString('utf8')) as Items;
      } catch {
        c.malformed++;
        return;
      }
    }
    if (msg.token < c.highestToken) {
      c.stale++;
      return;
    }
    if (msg.token > c.highestToken) {
      // A new owner: its numbering starts afresh, and nothing from before counts as missing.
      c.highestToken = msg.token;
      this.lastSeq.frame = 0;
      this.lastSeq.items = 0;
    } else {
      const last = this.lastSeq[channel];
      if (last !== 0 && msg.seq <= last) {
        c.stale++;
        return;
      }
      if (last !== 0 && msg.seq > last + 1) {
        const gap: BusGap = {
          channel,
          token: msg.token,
          expected: last + 1,
          got: msg.seq,
          missed: msg.seq - last - 1,
        };
        c.gaps++;
        c.missed += gap.missed;
        this.call(() => this.opts.onGap?.(gap));
      }
    }
    this.lastSeq[channel] = msg.seq;
    c.received++;
    c.lastMessageAt = this.now();
    const meta: BusMeta = { token: msg.token, seq: msg.seq };
    if (channel === 'frame') this.call(() => this.opts.onFrame?.(msg.payload, meta));
    else this.call(() => this.opts.onItems?.(items as Items, meta));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      try {
        this.opts.onError?.(e instanceof Error ? e : new Error(String(e)));
      } catch {}
    }
  }
}
