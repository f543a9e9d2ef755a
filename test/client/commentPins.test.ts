import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PIN_LIFT_M, PIN_STACK_M, pinsOf } from '../../client/design/commentPins';
import type { DraftLayout } from '../../client/design/layoutEdits';
import { addReply, addThread, readThreads, resolveThread } from '../../protocol/designComments';

const layout = {
  equipment: [{ id: 'R1', kind: 'robot-arm', position: [4, 0, 6] }],
} as unknown as DraftLayout;

function threads() {
  const doc = new Y.Doc();
  const ids = [
    addThread(doc, { author: 'a', anchor: { equipment: 'R1' }, text: 'one', now: 1 }),
    addThread(doc, { author: 'a', anchor: { equipment: 'R1' }, text: 'two @b', now: 2 }),
    addThread(doc, { author: 'a', anchor: { point: [10, 0, -3] }, text: 'floor', now: 3 }),
    addThread(doc, { author: 'a', anchor: { equipment: 'GONE' }, text: 'lost', now: 4 }),
    addThread(doc, { author: 'a', anchor: { point: [0, 0, 0] }, text: 'done', now: 5 }),
  ].map((r) => (r.ok ? r.id : ''));
  addReply(doc, ids[2], { author: 'c', text: 'cc @b', now: 6 });
  resolveThread(doc, ids[4], 'a', 7);
  return { list: readThreads(doc), ids };
}

describe('comment pins in the view', () => {
  it('stands a pin over each open thread’s anchor, stacked on one equipment, none for gone equipment', () => {
    const { list, ids } = threads();
    const pins = pinsOf(list, layout, 'b', false);
    expect(pins.map((p) => p.id)).toEqual([ids[0], ids[1], ids[2]]);
    const [p0, p1, p2] = pins;
    expect([p0.x, p0.z]).toEqual([4, 6]);
    expect(p1.y - p0.y).toBeCloseTo(PIN_STACK_M);
    expect(p0.y).toBeGreaterThan(PIN_LIFT_M);
    expect([p2.x, p2.y, p2.z]).toEqual([10, PIN_LIFT_M, -3]);
    // A mention of the viewer, in the text or a reply, draws the pin apart.
    expect(pins.map((p) => p.state)).toEqual(['open', 'mention', 'mention']);
  });

  it('shows resolved threads only when asked, drawn faint', () => {
    const { list, ids } = threads();
    const pins = pinsOf(list, layout, null, true);
    expect(pins.find((p) => p.id === ids[4])?.state).toBe('resolved');
    expect(pinsOf(list, layout, null, false).some((p) => p.id === ids[4])).toBe(false);
  });
});
