import { isAbnormal, MACHINE_STATES, type MachineState } from '../../protocol';

/** One row of the current-faults list. */
export interface FaultRow {
  /** Equipment index (wire index, position in the layout's equipment list). */
  index: number;
  id: string;
  name: string;
  state: MachineState;
}

/** What deriveFaults reads: the twin buffer's state bytes and the layout's ids and names. */
export interface FaultSource {
  readonly count: number;
  readonly state: ArrayLike<number>;
  readonly ids: readonly string[];
}

/**
 * Operator relevance of each abnormal state, most urgent first: a fault stops production,
 * blocked/starved are flow problems, offline is lost equipment, maintenance is planned.
 */
const SEVERITY: Readonly<Partial<Record<MachineState, number>>> = {
  fault: 0,
  blocked: 1,
  starved: 2,
  offline: 3,
  maintenance: 4,
};

/**
 * The equipment in an abnormal state, most urgent state first, then in layout order.
 * Runs at 1 Hz over every equipment: a Uint8Array scan, cheap even for 10,000 devices.
 */
export function deriveFaults(source: FaultSource, nameOf: (index: number) => string): FaultRow[] {
  const rows: FaultRow[] = [];
  for (let i = 0; i < source.count; i++) {
    const state = MACHINE_STATES[source.state[i]];
    if (state && isAbnormal(state)) rows.push({ index: i, id: source.ids[i], name: nameOf(i), state });
  }
  rows.sort((a, b) => (SEVERITY[a.state] ?? 9) - (SEVERITY[b.state] ?? 9) || a.index - b.index);
  return rows;
}

/** A string that changes exactly when the displayed list changes (so React renders only then). */
export function faultsKey(rows: readonly FaultRow[]): string {
  let key = '';
  for (const r of rows) key += `${r.index}:${r.state};`;
  return key;
}
