import type { Alarm } from '../../protocol';

/**
 * Alarm states that put an alarm marker on the equipment (the same set as AlarmMarkers): a SIM
 * marker sits beside an alarm marker, so it shows exactly where one does.
 */
const SHOWN: ReadonlySet<Alarm['state']> = new Set<Alarm['state']>([
  'unacknowledged',
  'acknowledged',
  'rtn-unacknowledged',
]);

/**
 * Writes into `out` the equipment indices (ascending, each once) that carry at least one shown
 * simulated alarm, and returns how many. Runs on alarm-store changes only, never per frame.
 */
export function simulatedEquipment(
  alarms: ReadonlyMap<string, Alarm>,
  indexById: ReadonlyMap<string, number>,
  out: Int32Array,
): number {
  const seen = new Set<number>();
  for (const a of alarms.values()) {
    if (!a.simulated || !SHOWN.has(a.state)) continue;
    const i = indexById.get(a.equipmentId);
    if (i !== undefined) seen.add(i);
  }
  let k = 0;
  for (const i of [...seen].sort((x, y) => x - y)) {
    if (k >= out.length) break;
    out[k++] = i;
  }
  return k;
}

/** The "SIM" glyph rows (5 rows, 13 cells: S, gap, I, gap, M), bit c = cell column c. */
const GLYPH_ROWS = ['111 111 10001', '100 010 11011', '111 010 10101', '001 010 10001', '111 111 10001'];

/** The glyph rows as integers for the shader (bit c = column c from the left). */
export const SIM_GLYPH_BITS: readonly number[] = GLYPH_ROWS.map((r) =>
  [...r.replaceAll(' ', '0')].reduce((bits, ch, c) => bits + (ch === '1' ? 2 ** c : 0), 0),
);
/** Glyph cells across and down. */
export const SIM_GLYPH_COLS = 13;
export const SIM_GLYPH_ROWS = 5;
