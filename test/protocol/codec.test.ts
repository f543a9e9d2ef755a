import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodeFrameToObjects,
  EQUIPMENT_KINDS,
  type EquipmentKind,
  FrameEncoder,
  FrameError,
  MOBILE_KINDS,
  signalsOf,
} from '../../protocol';

/** A value inside the signal's range, different per signal so order mistakes show. */
function sampleSignals(kind: EquipmentKind): number[] {
  return signalsOf(kind).map((d, i) =>
    d.enc === 'u32' ? 1000 + i * 7919 : d.min + ((i + 1) / 17) * (d.max - d.min),
  );
}

describe('telemetry frame codec', () => {
  it('round-trips every equipment kind within quantization error', () => {
    const kinds = [...EQUIPMENT_KINDS];
    const enc = new FrameEncoder(16);
    enc.begin(42, 1234.5);
    kinds.forEach((kind, i) => {
      const pose = MOBILE_KINDS.has(kind) ? [12.5 + i, 3.25, -40.75, 1.2] : null;
      enc.add(i, kind, i % 7, pose, sampleSignals(kind));
    });
    const decoded = decodeFrameToObjects(enc.finish(), kinds);
    expect(decoded.tick).toBe(42);
    expect(decoded.simTimeS).toBe(1234.5);
    expect(decoded.entries).toHaveLength(kinds.length);
    decoded.entries.forEach((e, i) => {
      const kind = kinds[i];
      expect(e.index).toBe(i);
      expect(e.state).toBe(i % 7);
      if (MOBILE_KINDS.has(kind)) {
        expect(e.pose?.[0]).toBeCloseTo(12.5 + i, 4);
        expect(e.pose?.[1]).toBeCloseTo(3.25, 4);
        expect(e.pose?.[2]).toBeCloseTo(-40.75, 4);
        expect(e.pose?.[3]).toBeCloseTo(1.2, 3);
      } else expect(e.pose).toBeNull();
      const want = sampleSignals(kind);
      signalsOf(kind).forEach((d, k) => {
        const tolerance = d.enc === 'u32' ? 0 : (d.max - d.min) / 0xffff;
        expect(Math.abs(e.signals[k] - want[k])).toBeLessThanOrEqual(tolerance);
      });
    });
  });

  it('clamps values outside the signal range and encodes NaN as the minimum', () => {
    const enc = new FrameEncoder();
    enc.begin(1, 0);
    const sig = signalsOf('agv').map(() => 1e9);
    sig[1] = Number.NaN;
    enc.add(0, 'agv', 0, [0, 0, 0, -1], sig);
    const [e] = decodeFrameToObjects(enc.finish(), ['agv']).entries;
    expect(e.signals[0]).toBe(signalsOf('agv')[0].max);
    expect(e.signals[1]).toBe(signalsOf('agv')[1].min);
    expect(e.pose?.[3]).toBeCloseTo(2 * Math.PI - 1, 3);
  });

  it('grows its buffer for frames larger than the initial size', () => {
    const enc = new FrameEncoder(32);
    enc.begin(7, 1);
    for (let i = 0; i < 5000; i++) enc.add(i, 'conveyor', 0, null, sampleSignals('conveyor'));
    const kinds = new Array<EquipmentKind>(5000).fill('conveyor');
    expect(decodeFrameToObjects(enc.finish(), kinds).entries).toHaveLength(5000);
  });

  describe('rejects malformed buffers with a FrameError and emits nothing', () => {
    const kinds: EquipmentKind[] = ['agv', 'robot-arm'];
    const good = (() => {
      const enc = new FrameEncoder();
      enc.begin(3, 9);
      enc.add(0, 'agv', 0, [1, 2, 3, 0], sampleSignals('agv'));
      enc.add(1, 'robot-arm', 4, null, sampleSignals('robot-arm'));
      return new Uint8Array(enc.finish());
    })();
    /** A copy of the good frame with one byte changed, or one value written through a DataView. */
    const withByte = (at: number, value: number) => {
      const b = good.slice();
      b[at] = value;
      return b;
    };
    const withView = (f: (v: DataView) => void) => {
      const b = good.slice();
      f(new DataView(b.buffer));
      return b;
    };
    const cases: [string, Uint8Array | ArrayBuffer][] = [
      ['empty', new Uint8Array(0)],
      ['shorter than a header', good.slice(0, 10)],
      ['wrong magic byte', withByte(0, 0x00)],
      ['unknown version', withByte(1, 99)],
      ['truncated entry', good.slice(0, good.length - 3)],
      ['trailing bytes', new Uint8Array([...good, 1, 2])],
      ['entry count larger than content', withByte(2, 9)],
      ['equipment index out of range', withByte(16, 7)],
      ['state byte out of range', withByte(18, 0x87)],
      ['non-finite pose', withView((v) => v.setFloat32(19, Number.NaN, true))],
      ['non-finite time', withView((v) => v.setFloat64(8, Number.POSITIVE_INFINITY, true))],
    ];
    for (const [name, buf] of cases) {
      it(name, () => {
        let seen = 0;
        const sink = { header: () => seen++, entry: () => seen++ };
        expect(() => decodeFrame(buf, kinds, sink)).toThrow(FrameError);
        expect(seen).toBe(0);
      });
    }
    it('non-binary input', () => {
      expect(() => decodeFrameToObjects('hello' as unknown as ArrayBuffer, kinds)).toThrow(FrameError);
      expect(() => decodeFrameToObjects({ length: 3 } as unknown as ArrayBuffer, kinds)).toThrow(FrameError);
    });
    it('random garbage never throws anything but FrameError', () => {
      let x = 12345;
      const next = () => {
        x = (x * 1103515245 + 12345) >>> 0;
        return x;
      };
      for (let n = 0; n < 2000; n++) {
        const len = next() % 120;
        const b = new Uint8Array(len);
        for (let i = 0; i < len; i++) b[i] = next() >>> 24;
        if (len > 1 && n % 2 === 0) {
          // Half the inputs carry a valid header so the entry checks get exercised too.
          b[0] = 0x54;
          b[1] = 1;
        }
        try {
          decodeFrameToObjects(b, kinds);
        } catch (err) {
          expect(err).toBeInstanceOf(FrameError);
        }
      }
    });
  });
});
