import { describe, expect, it } from 'vitest';
import { STATE_CODE, signalsOf } from '../../../protocol';
import { Q } from '../../../server/ingest/liveValues';
import { qualityOf, signalValue, stateCode, timestampOk } from '../../../server/ingest/sparkplug/metricMap';
import { NodeSession, REBIRTH_EVERY_MS } from '../../../server/ingest/sparkplug/nodeSession';

const beltSpeed = signalsOf('conveyor')[0]; // 0..2 m/s

describe('Sparkplug metric values', () => {
  it('takes numbers, booleans as 1/0 and numeric strings; refuses NaN, Infinity, big 64-bit integers and far-out values', () => {
    expect(signalValue(1.25, beltSpeed)).toBe(1.25);
    expect(signalValue(true, beltSpeed)).toBe(1);
    expect(signalValue(false, beltSpeed)).toBe(0);
    expect(signalValue(' 0.5 ', beltSpeed)).toBe(0.5);
    expect(signalValue('fast', beltSpeed)).toBe('type');
    expect(signalValue('', beltSpeed)).toBe('type');
    expect(signalValue(null, beltSpeed)).toBe('type');
    expect(signalValue(Number.NaN, beltSpeed)).toBe('range');
    expect(signalValue(Number.POSITIVE_INFINITY, beltSpeed)).toBe('range');
    expect(signalValue(2n ** 60n, beltSpeed)).toBe('range');
    // 10 spans of 2 m/s beyond the range is still taken; further is not.
    expect(signalValue(21.9, beltSpeed)).toBe(21.9);
    expect(signalValue(22.1, beltSpeed)).toBe('range');
    expect(signalValue(-20.1, beltSpeed)).toBe('range');
  });

  it('maps state values through the map as text and refuses unknown ones', () => {
    const map = { RUNNING: 'running', '1': 'idle', true: 'fault' } as const;
    expect(stateCode('RUNNING', map)).toBe(STATE_CODE.running);
    expect(stateCode(1, map)).toBe(STATE_CODE.idle);
    expect(stateCode(true, map)).toBe(STATE_CODE.fault);
    expect(stateCode('EXPLODED', map)).toBe(-1);
    expect(stateCode('__proto__', map)).toBe(-1);
    expect(stateCode('toString', map)).toBe(-1);
    expect(stateCode(null, map)).toBe(-1);
  });

  it('maps the Quality property: 192 good, 500 stale, 64..191 uncertain, below 64 bad', () => {
    expect(qualityOf(undefined)).toBe(Q.good);
    expect(qualityOf(192)).toBe(Q.good);
    expect(qualityOf(500)).toBe(Q.stale);
    expect(qualityOf(64)).toBe(Q.uncertain);
    expect(qualityOf(191)).toBe(Q.uncertain);
    expect(qualityOf(63)).toBe(Q.bad);
    expect(qualityOf(0)).toBe(Q.bad);
    expect(qualityOf(1000)).toBe(Q.uncertain);
  });

  it('refuses source times more than 5 min ahead or a day old', () => {
    const rx = 1_800_000_000_000;
    expect(timestampOk(rx, rx)).toBe(true);
    expect(timestampOk(rx + 5 * 60_000, rx)).toBe(true);
    expect(timestampOk(rx + 5 * 60_000 + 1, rx)).toBe(false);
    expect(timestampOk(rx - 86_400_000 - 1, rx)).toBe(false);
  });
});

describe('an edge node session', () => {
  const session = (t = { ms: 0 }) => new NodeSession('g', 'n', 100, () => t.ms);

  it('refuses sequenced messages before its NBIRTH', () => {
    expect(session().sequence(1)).toBe('unborn');
  });

  it('counts seq up mod 256 after the NBIRTH, across the wrap', () => {
    const s = session();
    s.birth(0, 3);
    for (let i = 1; i < 256; i++) expect(s.sequence(i)).toBe('apply');
    expect(s.sequence(0)).toBe('apply');
    expect(s.sequence(1)).toBe('apply');
  });

  it('holds a message ahead of a gap, releases it in order, and calls duplicates late', () => {
    const s = session();
    s.birth(0, 1);
    expect(s.sequence(2)).toBe('hold');
    s.held.set(2, { type: 'NDATA', device: null, payload: { metrics: [] }, rxMs: 0 });
    expect(s.sequence(2)).toBe('late'); // already held
    expect(s.nextHeld()).toBeUndefined();
    expect(s.sequence(1)).toBe('apply');
    expect(s.nextHeld()?.type).toBe('NDATA');
    expect(s.expected).toBe(3);
    expect(s.sequence(2)).toBe('late'); // a duplicate
    expect(s.sequence(200)).toBe('late'); // far behind (more than half the ring away)
  });

  it('refuses data while it waits for a rebirth, until the next NBIRTH', () => {
    const s = session();
    s.birth(0, 1);
    s.awaitingRebirth = true;
    expect(s.sequence(1)).toBe('unborn');
    s.birth(0, 2);
    expect(s.sequence(1)).toBe('apply');
    expect(s.bdSeq).toBe(2);
  });

  it('allows one rebirth request per node every 5 s', () => {
    const t = { ms: 1000 };
    const s = session(t);
    expect(s.rebirthDue(t.ms)).toBe(true);
    expect(s.rebirthDue(t.ms + REBIRTH_EVERY_MS - 1)).toBe(false);
    expect(s.rebirthDue(t.ms + REBIRTH_EVERY_MS)).toBe(true);
  });

  it('forgets its birth, its devices and what it held at a death', () => {
    const s = session();
    const d = s.deviceScope('dev');
    s.birth(0, 9);
    d.born = true;
    s.own.announce('Speed', 1, 10);
    s.death();
    expect(s.born).toBe(false);
    expect(s.bdSeq).toBeNull();
    expect(d.born).toBe(false);
    expect(s.own.resolve(undefined, 1)).toBeUndefined();
  });
});
