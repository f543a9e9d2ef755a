import { BoxGeometry, MeshBasicMaterial } from 'three';
import { describe, expect, it } from 'vitest';
import { marksChanged, standInEquipment } from '../../client/scene/dataMarks';
import { createPart, flushPart, prefixSums } from '../../client/scene/instancedPart';
import { StateTinter } from '../../client/scene/stateTint';
import { isStandIn, markQuality } from '../../client/state/dataMark';
import { TwinBuffer } from '../../client/state/twinBuffer';
import { FrameEncoder, MARK_STAND_IN, parseLayout, QUALITIES, STATE_CODE, signalsOf } from '../../protocol';

/** Three pieces of equipment: a transformer, a drone (mobile) and an edge server. */
function plant() {
  const r = parseLayout({
    name: 'Marks',
    zones: [{ id: 'Z', name: 'Hall', kind: 'hall', min: [0, 0], max: [100, 100] }],
    equipment: [
      {
        id: 'TX-1',
        name: 'Transformer',
        kind: 'transformer',
        zone: 'Z',
        position: [10, 0, 10],
        props: { ratingKva: 1000 },
      },
      { id: 'DR-1', name: 'Drone', kind: 'drone', zone: 'Z', position: [20, 0, 20], props: {} },
      { id: 'MEC-1', name: 'Edge server', kind: 'edge-server', zone: 'Z', position: [30, 0, 30], props: {} },
    ],
  });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.layout;
}

type Kind = 'transformer' | 'drone' | 'edge-server';

/** A real telemetry frame: (index, kind, mark) per entry, state running, zero signals. */
function frame(tick: number, entries: [number, Kind, number][]): ArrayBuffer {
  const enc = new FrameEncoder();
  enc.begin(tick, tick / 10);
  for (const [index, kind, mark] of entries) {
    const pose = kind === 'drone' ? [20, 0, 20, 0] : null;
    enc.add(
      index,
      kind,
      STATE_CODE.running,
      pose,
      signalsOf(kind).map(() => 0),
      mark,
    );
  }
  return enc.finish();
}

const STALE = QUALITIES.indexOf('stale');
const UNCERTAIN = QUALITIES.indexOf('uncertain');

describe('data marks from telemetry frames into the twin buffer', () => {
  it('stores the mark of every entry of an encoded frame per equipment', () => {
    const buffer = new TwinBuffer(plant());
    expect(Array.from(buffer.mark)).toEqual([0, 0, 0]);
    buffer.applyFrame(
      frame(1, [
        [0, 'transformer', STALE],
        [1, 'drone', MARK_STAND_IN],
        [2, 'edge-server', UNCERTAIN | MARK_STAND_IN],
      ]),
      100,
    );
    expect(Array.from(buffer.mark)).toEqual([3, 4, 5]);
    expect(markQuality(buffer.mark[0])).toBe('stale');
    expect(isStandIn(buffer.mark[0])).toBe(false);
    expect(markQuality(buffer.mark[1])).toBe('good');
    expect(isStandIn(buffer.mark[1])).toBe(true);
    expect(markQuality(buffer.mark[2])).toBe('uncertain');
    expect(isStandIn(buffer.mark[2])).toBe(true);
  });

  it('clears a mark when the next frame carries the equipment good again, and keeps the others', () => {
    const buffer = new TwinBuffer(plant());
    buffer.applyFrame(
      frame(1, [
        [0, 'transformer', STALE],
        [2, 'edge-server', QUALITIES.indexOf('bad')],
      ]),
      100,
    );
    buffer.applyFrame(frame(2, [[0, 'transformer', 0]]), 200);
    expect(Array.from(buffer.mark)).toEqual([0, 0, 2]);
    expect(markQuality(buffer.mark[2])).toBe('bad');
  });

  it('takes the marks of a keyframe as well', () => {
    const buffer = new TwinBuffer(plant());
    buffer.applyKeyframe(frame(7, [[1, 'drone', STALE | MARK_STAND_IN]]), 0);
    expect(buffer.mark[1]).toBe(7);
  });
});

describe('data marks in the scene', () => {
  it('writes a changed mark to every instance of the equipment in each part, uploading only that span', () => {
    const buffer = new TwinBuffer(plant());
    const geometry = () => new BoxGeometry(1, 1, 1);
    const material = new MeshBasicMaterial();
    // Two parts of a kind with slots 0 and 2: one instance per slot, and one with 3 + 2 instances.
    const indices = Int32Array.from([0, 2]);
    const one = createPart('one', geometry(), material, 2, 'body');
    const many = createPart('many', geometry(), material, 5, 'trim', prefixSums([3, 2]));
    const tinter = new StateTinter(indices, [one, many]);
    tinter.update(buffer.state, buffer.mark);
    flushPart(one);
    flushPart(many);
    expect(Array.from(one.markAttr.array)).toEqual([0, 0]);

    buffer.applyFrame(frame(1, [[2, 'edge-server', STALE]]), 100);
    expect(tinter.update(buffer.state, buffer.mark)).toBe(1);
    expect(Array.from(one.markAttr.array)).toEqual([0, 3]);
    expect(Array.from(many.markAttr.array)).toEqual([0, 0, 0, 3, 3]);
    flushPart(many);
    // Slot 1 of `many` is instances 3..4: one float each.
    expect(many.markAttr.updateRanges).toEqual([{ start: 3, count: 2 }]);
    expect(many.markAttr.version).toBeGreaterThan(0);
    // Nothing changed: nothing repainted.
    expect(tinter.update(buffer.state, buffer.mark)).toBe(0);
  });

  it('gives every part a per-instance mark attribute on its own geometry, 0 (good, real) at first', () => {
    const part = createPart('p', new BoxGeometry(1, 1, 1), new MeshBasicMaterial(), 4, 'body');
    expect(part.mesh.geometry.getAttribute('aMark')).toBe(part.markAttr);
    expect(Array.from(part.markAttr.array)).toEqual([0, 0, 0, 0]);
  });

  it('lists the stand-ins and notices only real changes of the marks', () => {
    const mark = Uint8Array.from([0, MARK_STAND_IN, STALE, MARK_STAND_IN | UNCERTAIN]);
    const out = new Int32Array(4);
    expect(standInEquipment(mark, out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 3]);
    const last = new Uint8Array(4).fill(255);
    expect(marksChanged(mark, last)).toBe(true);
    expect(marksChanged(mark, last)).toBe(false);
    mark[0] = STALE;
    expect(marksChanged(mark, last)).toBe(true);
    expect(Array.from(last)).toEqual(Array.from(mark));
  });
});
