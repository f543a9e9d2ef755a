import { describe, expect, it } from 'vitest';
import { deriveFaults, faultsKey } from '../../client/hud/faults';
import { type MachineState, STATE_CODE } from '../../protocol';

function source(states: MachineState[]) {
  return {
    count: states.length,
    state: Uint8Array.from(states.map((s) => STATE_CODE[s])),
    ids: states.map((_, i) => `EQ-${i}`),
  };
}
const nameOf = (i: number) => `Machine ${i}`;

describe('deriveFaults', () => {
  it('lists only equipment in an abnormal state', () => {
    const rows = deriveFaults(source(['running', 'idle', 'fault', 'running']), nameOf);
    expect(rows).toEqual([{ index: 2, id: 'EQ-2', name: 'Machine 2', state: 'fault' }]);
  });

  it('puts faults first, then blocked, starved, offline and maintenance, each in layout order', () => {
    const rows = deriveFaults(
      source(['maintenance', 'starved', 'fault', 'offline', 'blocked', 'fault', 'running']),
      nameOf,
    );
    expect(rows.map((r) => `${r.id}:${r.state}`)).toEqual([
      'EQ-2:fault',
      'EQ-5:fault',
      'EQ-4:blocked',
      'EQ-1:starved',
      'EQ-3:offline',
      'EQ-0:maintenance',
    ]);
  });

  it('returns an empty list when everything is normal', () => {
    expect(deriveFaults(source(['running', 'idle']), nameOf)).toEqual([]);
  });
});

describe('faultsKey', () => {
  it('is unchanged while the same equipment stays in the same states', () => {
    const a = deriveFaults(source(['fault', 'running', 'blocked']), nameOf);
    const b = deriveFaults(source(['fault', 'idle', 'blocked']), nameOf);
    expect(faultsKey(a)).toBe(faultsKey(b));
  });

  it('changes when an equipment changes abnormal state', () => {
    const a = deriveFaults(source(['fault', 'blocked']), nameOf);
    const b = deriveFaults(source(['fault', 'starved']), nameOf);
    expect(faultsKey(a)).not.toBe(faultsKey(b));
  });
});
