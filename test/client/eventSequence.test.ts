import { describe, expect, it } from 'vitest';
import { appendEvent, classifyEvent } from '../../client/net/eventSequence';
import type { PlantEvent } from '../../protocol';

const ev = (seq: number): PlantEvent => ({
  seq,
  simTimeS: seq,
  type: 'info',
  severity: 'info',
  message: `e${seq}`,
});

describe('classifyEvent', () => {
  it('accepts the next sequence number', () => {
    expect(classifyEvent(4, 5)).toBe('next');
  });

  it('reports a gap when events were missed', () => {
    expect(classifyEvent(4, 7)).toBe('gap');
  });

  it('drops events already held', () => {
    expect(classifyEvent(4, 4)).toBe('old');
    expect(classifyEvent(4, 2)).toBe('old');
  });
});

describe('appendEvent', () => {
  it('appends without touching the original list', () => {
    const before = [ev(1)];
    const after = appendEvent(before, ev(2), 10);
    expect(after.map((e) => e.seq)).toEqual([1, 2]);
    expect(before.map((e) => e.seq)).toEqual([1]);
  });

  it('keeps only the newest events up to the limit', () => {
    let list: PlantEvent[] = [];
    for (let s = 1; s <= 6; s++) list = appendEvent(list, ev(s), 3);
    expect(list.map((e) => e.seq)).toEqual([4, 5, 6]);
  });
});
