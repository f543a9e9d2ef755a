import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, FRAME_MAGIC, FRAME_VERSION, FrameError } from '../../../protocol/codec';
import type { KpiUpdate } from '../../../protocol/events';
import type { EquipmentKind } from '../../../protocol/kinds';
import { decodeChunk, encodeChunk } from '../../../server/recording/chunkCodec';
import { FrameState, POSE_BYTES, POSE_FLAG, signalBytesOf } from '../../../server/recording/frameState';
import { ItemDecoder, ItemEncoder, type RecordedItem } from '../../../server/recording/items';

/** A small seeded generator (tests only). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const KINDS: EquipmentKind[] = ['robot-arm', 'agv', 'conveyor', 'agv', 'drone'];

/** A frame from entries [index, flags, pose | null, signal bytes]. */
function frame(
  tick: number,
  simS: number,
  entries: [number, number, number[] | null, Uint8Array][],
): Uint8Array {
  let size = FRAME_HEADER_BYTES;
  for (const [, flags, , sig] of entries) size += 3 + (flags & POSE_FLAG ? POSE_BYTES : 0) + sig.length;
  const u8 = new Uint8Array(size);
  const v = new DataView(u8.buffer);
  u8[0] = FRAME_MAGIC;
  u8[1] = FRAME_VERSION;
  v.setUint16(2, entries.length, true);
  v.setUint32(4, tick >>> 0, true);
  v.setFloat64(8, simS, true);
  let o = FRAME_HEADER_BYTES;
  for (const [index, flags, pose, sig] of entries) {
    v.setUint16(o, index, true);
    u8[o + 2] = flags;
    o += 3;
    if (flags & POSE_FLAG) {
      v.setFloat32(o, pose![0], true);
      v.setFloat32(o + 4, pose![1], true);
      v.setFloat32(o + 8, pose![2], true);
      v.setUint16(o + 12, pose![3], true);
      o += POSE_BYTES;
    }
    u8.set(sig, o);
    o += sig.length;
  }
  return u8;
}

/** Frames that hit the codec's corners: wraps, jumps, noise, missing entries, pose on and off. */
function nastyFrames(count: number, seed: number): Uint8Array[] {
  const r = rng(seed);
  const out: Uint8Array[] = [];
  let tick = 0xfffffff0; // wraps past 2^32
  let t = 1e9;
  const sig = KINDS.map((k) => new Uint8Array(signalBytesOf(k)));
  for (let f = 0; f < count; f++) {
    tick = (tick + (f % 17 === 0 ? 1000 : 1)) >>> 0;
    t = f % 23 === 0 ? -t / 3 : t + 0.1;
    const entries: [number, number, number[] | null, Uint8Array][] = [];
    for (let i = 0; i < KINDS.length; i++) {
      if (r() < 0.2) continue;
      const s = sig[i];
      for (let b = 0; b < s.length; b++) {
        const mode = (i + b) % 4;
        if (mode === 0) s[b] = Math.floor(r() * 256);
        else if (mode === 1) s[b] = (s[b] + 1) & 0xff;
        else if (mode === 2) s[b] = f % 2 ? 0xff : 0;
      }
      const pose = r() < 0.6;
      const flags = (pose ? POSE_FLAG : 0) | Math.floor(r() * 5);
      const p = pose ? [r() * 1e6 - 5e5, f * 0.25, r() < 0.1 ? 3.4e38 : -0, Math.floor(r() * 65536)] : null;
      entries.push([i, flags, p, s.slice()]);
    }
    out.push(frame(tick, t, entries));
  }
  return out;
}

describe('chunk codec', () => {
  it('gives back every frame byte for byte, chunk after chunk from the state before it', () => {
    const frames = nastyFrames(600, 3);
    const encState = new FrameState(KINDS);
    const chunks = [frames.slice(0, 1), frames.slice(1, 250), frames.slice(250, 250), frames.slice(250)].map(
      (c) => encodeChunk(c, encState),
    );
    const decState = new FrameState(KINDS);
    const got = chunks.flatMap((c) => decodeChunk(c, decState));
    expect(got.length).toBe(frames.length);
    for (let k = 0; k < frames.length; k++)
      expect(Buffer.from(got[k]).equals(Buffer.from(frames[k]))).toBe(true);
    expect(Buffer.from(decState.keyframe()).equals(Buffer.from(encState.keyframe()))).toBe(true);
  });

  it('stores a signal that follows another one in fewer bytes than the same signal alone', () => {
    // Equipment 0 (robot arm): signal 15 steps as signal 12 does, scaled; or by its own noise.
    const size = (follow: boolean) => {
      const r = rng(5);
      const sig = new Uint8Array(signalBytesOf('robot-arm'));
      const v = new DataView(sig.buffer);
      const frames: Uint8Array[] = [];
      let cur = 20_000;
      let other = 2000;
      for (let f = 0; f < 400; f++) {
        const step = Math.round((r() - 0.5) * 6000);
        cur += step;
        other += follow ? Math.round(step / 12) : Math.round((r() - 0.5) * 500);
        v.setUint16(24, cur & 0xffff, true);
        v.setUint16(sig.length - 2, other & 0xffff, true);
        frames.push(frame(f, f / 10, [[0, 1, null, sig.slice()]]));
      }
      const coded = encodeChunk(frames, new FrameState(KINDS));
      const back = decodeChunk(coded, new FrameState(KINDS));
      expect(back.every((b, k) => Buffer.from(b).equals(Buffer.from(frames[k])))).toBe(true);
      return coded.length;
    };
    expect(size(true)).toBeLessThan(size(false) - 200);
  });

  it('rejects damaged, cut and oversized chunks with FrameError', () => {
    const frames = nastyFrames(120, 9);
    const coded = encodeChunk(frames, new FrameState(KINDS));
    const decode = (src: Uint8Array) => decodeChunk(src, new FrameState(KINDS));
    expect(() => decode(coded.subarray(0, coded.length - 30))).toThrow(FrameError);
    expect(() => decode(new Uint8Array(0))).toThrow(/unknown format/);
    const bad = coded.slice();
    bad[0] = 7;
    expect(() => decode(bad)).toThrow(/unknown format/);
    for (let k = 1; k < coded.length; k += Math.ceil(coded.length / 40)) {
      const flipped = coded.slice();
      flipped[k] ^= 0x5a;
      let out: ArrayBuffer[] | null = null;
      try {
        out = decode(flipped);
      } catch (err) {
        expect(err).toBeInstanceOf(FrameError);
      }
      // A flip brotli and the checks cannot see still decodes to well-formed frames.
      if (out) expect(out.length).toBeGreaterThan(0);
    }
    const bomb = brotliCompressSync(new Uint8Array(24 * 1024 * 1024));
    expect(() => decode(Uint8Array.from([3, ...bomb]))).toThrow(/does not decompress/);
    expect(() =>
      encodeChunk(
        [
          frames[0],
          frame(1, 1, [
            [3, 0, null, new Uint8Array(signalBytesOf('agv'))],
            [1, 0, null, new Uint8Array(signalBytesOf('agv'))],
          ]),
        ],
        new FrameState(KINDS),
      ),
    ).toThrow(/equipment order/);
  });

  it('refuses a chunk of the older range-coded format with a clear error', () => {
    // What the range coder wrote: format byte 2, frame count, equipment count, coded bits.
    const old = Uint8Array.from([2, 20, 0, 0, 0, KINDS.length, 0, 0x5a, 0x13, 0x77, 0x01, 0x00]);
    expect(() => decodeChunk(old, new FrameState(KINDS))).toThrow(/older recording format/);
  });
});

describe('recorded items', () => {
  const kpi = (t: number, oee: number, lines = 2): KpiUpdate => ({
    simTimeS: t,
    lines: Array.from({ length: lines }, (_v, i) => ({
      id: `L${i}`,
      name: `Line ${i}`,
      state: 'running',
      throughputPerHour: t * i,
      total: 3,
      good: 2,
      fpy: 1,
      availability: 1,
      performance: 0.5,
      quality: 1,
      oee,
    })) as KpiUpdate['lines'],
    plant: { oee, throughputPerHour: 1, agvUtilization: 0, connectedDevices: 3, latencyMs: 4.1, faults: 0 },
  });

  it('stores KPI updates as changes and gives them back whole, across a change of shape', () => {
    const items: RecordedItem[] = [
      { k: 'k', tick: 1, simS: 1, wall: 1, kpis: kpi(1, 0.5) },
      {
        k: 'e',
        tick: 1,
        simS: 1,
        wall: 1,
        event: { seq: 1, simTimeS: 1, type: 'info', severity: 'info', message: 'x' },
      },
      { k: 'k', tick: 2, simS: 2, wall: 2, kpis: kpi(2, 0.5) },
      { k: 'k', tick: 3, simS: 3, wall: 3, kpis: kpi(3, 0.25, 3) },
      { k: 'k', tick: 4, simS: 4, wall: 4, kpis: kpi(3, 0.25, 3) },
    ];
    for (const start of [null, kpi(0, 0.5)]) {
      const enc = new ItemEncoder(start);
      const stored = items.map((i) => JSON.parse(JSON.stringify(enc.encode(i))));
      expect('d' in stored[2]).toBe(true);
      expect(stored[2].d.length).toBe(2); // simTimeS and line 1's throughput; line 0's stays 0
      expect('kpis' in stored[3]).toBe(true);
      expect(stored[4].d).toEqual([]);
      const dec = new ItemDecoder(start);
      expect(stored.map((s) => dec.decode(s))).toEqual(items);
    }
  });
});
