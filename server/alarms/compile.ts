import { type EquipmentKind, type Layout, MACHINE_STATES, signalIndex, signalsOf } from '../../protocol';
import type { AlarmRule } from './ruleSchema';

/** Rule type codes for the evaluation loop (a switch on small integers, not strings). */
export const RULE_TYPE = {
  high: 0,
  'high-high': 1,
  low: 2,
  'low-low': 3,
  deviation: 4,
  rate: 5,
  state: 6,
  stale: 7,
} as const;

/**
 * Rules bound to a layout, as flat typed arrays: one binding per (rule, piece of equipment), which
 * becomes one alarm. Per-rule numbers are copied into arrays indexed by rule so the evaluation
 * loop reads no objects.
 */
export interface CompiledRules {
  readonly rules: readonly AlarmRule[];
  /** Per rule: type code, limit (or setpoint / rate limit per s), deadband, delays, band, masks. */
  readonly type: Uint8Array;
  readonly limit: Float64Array;
  readonly deadband: Float64Array;
  readonly onDelayS: Float64Array;
  readonly offDelayS: Float64Array;
  /** deviation: band; rate: window, s; stale: staleS (0 = no frozen-value check). */
  readonly param: Float64Array;
  /** rate: 1 rise, 2 fall, 3 both. stale: 1 when offline counts. */
  readonly flags: Uint8Array;
  /** state rules: bit per machine state code. */
  readonly stateMask: Uint16Array;
  /** Number of bindings (alarms the rules can raise). */
  readonly count: number;
  /** Per binding: equipment index, rule index, first entry in `sigIdx` and how many. */
  readonly eq: Int32Array;
  readonly rule: Int32Array;
  readonly sigOff: Int32Array;
  readonly sigLen: Uint8Array;
  readonly sigIdx: Int32Array;
  /** Per binding: alarm id `${ruleId}@${equipmentId}`, and the reverse map. */
  readonly alarmIds: readonly string[];
  readonly byAlarmId: ReadonlyMap<string, number>;
  /** Per equipment: line index (first line whose flow lists it) and position in that flow, or -1. */
  readonly lineOf: Int32Array;
  /** Per line: equipment indices in material-flow order. */
  readonly lineFlows: readonly Int32Array[];
}

export type CompileResult = { ok: true; compiled: CompiledRules } | { ok: false; errors: string[] };

/**
 * Binds validated rules to a layout. Refuses (path-named) equipment ids the plant does not have and
 * signals the equipment's kind does not report.
 */
export function compileRules(rules: readonly AlarmRule[], layout: Layout): CompileResult {
  const errors: string[] = [];
  const specs = layout.equipment;
  const indexById = new Map(specs.map((e, i) => [e.id, i]));
  const eq: number[] = [];
  const rule: number[] = [];
  const sigOff: number[] = [];
  const sigLen: number[] = [];
  const sigIdx: number[] = [];
  const alarmIds: string[] = [];
  const n = rules.length;
  const c = {
    type: new Uint8Array(n),
    limit: new Float64Array(n),
    deadband: new Float64Array(n),
    onDelayS: new Float64Array(n),
    offDelayS: new Float64Array(n),
    param: new Float64Array(n),
    flags: new Uint8Array(n),
    stateMask: new Uint16Array(n),
  };
  rules.forEach((r, ri) => {
    c.type[ri] = RULE_TYPE[r.type];
    c.deadband[ri] = r.deadband;
    c.onDelayS[ri] = r.onDelayS;
    c.offDelayS[ri] = r.offDelayS;
    if ('limit' in r) c.limit[ri] = r.type === 'rate' && r.per === 'min' ? r.limit / 60 : r.limit;
    if (r.type === 'deviation') {
      c.limit[ri] = r.setpoint;
      c.param[ri] = r.band;
    } else if (r.type === 'rate') {
      c.param[ri] = r.windowS;
      c.flags[ri] = r.direction === 'rise' ? 1 : r.direction === 'fall' ? 2 : 3;
    } else if (r.type === 'state') {
      for (const s of r.states) c.stateMask[ri] |= 1 << MACHINE_STATES.indexOf(s);
    } else if (r.type === 'stale') {
      c.param[ri] = r.staleS ?? 0;
      c.flags[ri] = r.offline ? 1 : 0;
    }
    const targets: number[] = [];
    if (r.equipment) {
      r.equipment.forEach((id, j) => {
        const i = indexById.get(id);
        if (i === undefined) errors.push(`rules[${ri}].equipment[${j}]: no equipment "${id}" in the plant`);
        else if (!r.kind || specs[i].kind === r.kind) targets.push(i);
      });
    } else for (let i = 0; i < specs.length; i++) if (specs[i].kind === r.kind) targets.push(i);
    const keys =
      'signal' in r && r.signal !== undefined ? (Array.isArray(r.signal) ? r.signal : [r.signal]) : [];
    const badKinds = new Set<EquipmentKind>();
    for (const i of targets) {
      const kind = specs[i].kind;
      const idx = keys.map((k) => signalIndex(kind, k));
      if (idx.some((x) => x < 0)) {
        if (!badKinds.has(kind)) {
          const bad = keys.find((_, j) => idx[j] < 0);
          errors.push(
            `rules[${ri}].signal: unknown signal "${bad}" for ${kind} (expected one of: ${signalsOf(kind)
              .map((s) => s.key)
              .join(', ')})`,
          );
          badKinds.add(kind);
        }
        continue;
      }
      eq.push(i);
      rule.push(ri);
      sigOff.push(sigIdx.length);
      sigLen.push(idx.length);
      sigIdx.push(...idx);
      alarmIds.push(`${r.id}@${specs[i].id}`);
    }
  });
  if (errors.length) return { ok: false, errors };
  // Evaluate in equipment order: each machine's signals are read once, while they are in cache.
  const order = eq.map((_, k) => k).sort((x, y) => eq[x] - eq[y] || rule[x] - rule[y]);
  const sigIdxSorted: number[] = [];
  const sigOffSorted = order.map((k) => {
    const off = sigIdxSorted.length;
    for (let j = 0; j < sigLen[k]; j++) sigIdxSorted.push(sigIdx[sigOff[k] + j]);
    return off;
  });
  const ids = order.map((k) => alarmIds[k]);
  const lineOf = new Int32Array(specs.length).fill(-1);
  const lineFlows = layout.lines.map((line, li) => {
    const flow = line.flow.map((id) => indexById.get(id) ?? -1).filter((i) => i >= 0);
    for (const i of flow) if (lineOf[i] < 0) lineOf[i] = li;
    return Int32Array.from(flow);
  });
  return {
    ok: true,
    compiled: {
      rules,
      ...c,
      count: eq.length,
      eq: Int32Array.from(order, (k) => eq[k]),
      rule: Int32Array.from(order, (k) => rule[k]),
      sigOff: Int32Array.from(sigOffSorted),
      sigLen: Uint8Array.from(order, (k) => sigLen[k]),
      sigIdx: Int32Array.from(sigIdxSorted),
      alarmIds: ids,
      byAlarmId: new Map(ids.map((id, b) => [id, b])),
      lineOf,
      lineFlows,
    },
  };
}
