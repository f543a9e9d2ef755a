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
  /** The built-in bad-input alarm (BAD_INPUT_RULE_ID); never in a rules file. */
  'bad-input': 8,
} as const;

/** Id of the built-in rule that raises one alarm per fed equipment while a rule's input is bad or stale. */
export const BAD_INPUT_RULE_ID = 'BAD-INPUT';
/** In a bad-input binding's inputs (`sigIdx`): the machine state, which state rules read. */
export const STATE_INPUT = -1;

/**
 * The built-in bad-input rule, shaped as a rule of the file format so every path that reads a
 * binding's rule (templates, records, re-alarm) works; its type code is RULE_TYPE['bad-input'].
 * Low priority: it tells operators that alarms of that equipment cannot be judged now, not that
 * the process is abnormal.
 */
export const BAD_INPUT_RULE: AlarmRule = {
  id: BAD_INPUT_RULE_ID,
  type: 'stale',
  priority: 'low',
  message: {
    en: '{name}: bad or stale input data; its alarm rules hold until the data are good again',
    'zh-CN': '{name}：输入数据质量差或已过期，其报警规则暂停判断，直到数据恢复正常',
  },
  deadband: 0,
  onDelayS: 0,
  offDelayS: 0,
  latching: false,
  reAlarmS: 0,
  offline: false,
};

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
  /** Equipment ids the rules may name that this plant hides (see compileRules' `hidden`). */
  readonly hidden: ReadonlySet<string>;
}

export type CompileResult = { ok: true; compiled: CompiledRules } | { ok: false; errors: string[] };

/**
 * Binds validated rules to a layout. Refuses (path-named) equipment ids the plant does not have and
 * signals the equipment's kind does not report, and the reserved rule id BAD-INPUT. With
 * `badInput` (indexes of equipment a source feeds) it adds the built-in bad-input rule: one
 * binding per such equipment that some rule reads, whose inputs (`sigIdx`) are every signal the
 * rules (except stale rules, which judge lost data themselves) read of it, and STATE_INPUT when a
 * state rule watches it.
 */
export function compileRules(
  fileRules: readonly AlarmRule[],
  layout: Layout,
  opts: {
    badInput?: readonly number[];
    /** Ids of equipment hidden from this plant (`unmapped: hide`): rules naming them bind to the rest. */
    hidden?: ReadonlySet<string>;
  } = {},
): CompileResult {
  const errors: string[] = [];
  fileRules.forEach((r, ri) => {
    if (r.id === BAD_INPUT_RULE_ID)
      errors.push(`rules[${ri}].id: "${BAD_INPUT_RULE_ID}" is reserved for the built-in bad-input alarm`);
  });
  const rules = opts.badInput ? [...fileRules, BAD_INPUT_RULE] : fileRules;
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
  fileRules.forEach((r, ri) => {
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
        if (i === undefined) {
          if (!opts.hidden?.has(id))
            errors.push(`rules[${ri}].equipment[${j}]: no equipment "${id}" in the plant`);
        } else if (!r.kind || specs[i].kind === r.kind) targets.push(i);
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
  if (opts.badInput) {
    const ri = rules.length - 1;
    c.type[ri] = RULE_TYPE['bad-input'];
    const fileBindings = eq.length;
    for (const i of [...new Set(opts.badInput)].sort((x, y) => x - y)) {
      const inputs = new Set<number>();
      for (let k = 0; k < fileBindings; k++) {
        if (eq[k] !== i) continue;
        const t = c.type[rule[k]];
        if (t === RULE_TYPE.stale) continue;
        if (t === RULE_TYPE.state) inputs.add(STATE_INPUT);
        for (let j = 0; j < sigLen[k]; j++) inputs.add(sigIdx[sigOff[k] + j]);
      }
      if (inputs.size === 0) continue; // no rule reads it: nothing to hold
      eq.push(i);
      rule.push(ri);
      sigOff.push(sigIdx.length);
      sigLen.push(inputs.size);
      sigIdx.push(...[...inputs].sort((x, y) => x - y));
      alarmIds.push(`${BAD_INPUT_RULE_ID}@${specs[i].id}`);
    }
  }
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
      hidden: opts.hidden ?? new Set(),
    },
  };
}
