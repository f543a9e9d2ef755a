import { STATE_CODE as STATE_CODES } from '../../protocol';
import type { EquipmentRuntime } from '../sim/types';
import { type CompiledRules, RULE_TYPE, STATE_INPUT } from './compile';
import { type InputQuality, isUnusable } from './types';

// Local copy: tsx compiles imported bindings to getters, which cost in per-equipment loops.
const STATE_CODE = { ...STATE_CODES };

/**
 * What the condition evaluation remembers between ticks, one slot per binding (typed arrays,
 * allocated once). Owned by one session and updated in place, as the simulation updates its world:
 * at 10,000 machines a copy per tick would cost more than the evaluation itself.
 */
export interface ConditionState {
  /** 1 while the alarm condition holds (after on/off delays). */
  readonly cond: Uint8Array;
  /** Sim time the raw condition first differed from `cond`, s; NaN when it does not. */
  readonly pendSince: Float64Array;
  /** Latest watched value (rate: units/s; stale: seconds frozen; NaN for state rules). */
  readonly value: Float64Array;
  /** rate: value and time at the window start; stale: last value and when it last changed. */
  readonly refV: Float64Array;
  readonly refT: Float64Array;
  /** rate: the raw condition of the last complete window. */
  readonly raw: Uint8Array;
  /** Bindings whose `cond` changed in the last evaluation: the first `changedCount` entries. */
  readonly changed: Int32Array;
  changedCount: number;
  /** Per equipment: 1 while its alarms are suppressed by design, and the value before the last update. */
  readonly suppressed: Uint8Array;
  readonly suppressedBefore: Uint8Array;
  /** Per equipment: sim time its suppression last ended, s (-Infinity: never). */
  readonly suppressionEndS: Float64Array;
}

/** Fresh evaluation state: every condition false. */
export function createConditionState(c: CompiledRules, equipmentCount: number): ConditionState {
  return {
    cond: new Uint8Array(c.count),
    pendSince: new Float64Array(c.count).fill(Number.NaN),
    value: new Float64Array(c.count).fill(Number.NaN),
    refV: new Float64Array(c.count).fill(Number.NaN),
    refT: new Float64Array(c.count).fill(Number.NaN),
    raw: new Uint8Array(c.count),
    changed: new Int32Array(c.count),
    changedCount: 0,
    suppressed: new Uint8Array(equipmentCount),
    suppressedBefore: new Uint8Array(equipmentCount),
    suppressionEndS: new Float64Array(equipmentCount).fill(Number.NEGATIVE_INFINITY),
  };
}

const STALE_TYPE = RULE_TYPE.stale;
const STATE_TYPE = RULE_TYPE.state;
const RATE_TYPE = RULE_TYPE.rate;

/** Whether any input of binding `b` is bad or stale (its state for state rules, else its signals). */
function anyUnusable(c: CompiledRules, inputs: InputQuality, b: number, stateRule: boolean): boolean {
  const e = c.eq[b];
  if (stateRule) return isUnusable(inputs.qualityOf(e, STATE_INPUT));
  const o = c.sigOff[b];
  for (let k = 0; k < c.sigLen[b]; k++) if (isUnusable(inputs.qualityOf(e, c.sigIdx[o + k]))) return true;
  return false;
}

/**
 * Evaluates every binding against the equipment at sim time `t` (s) and records which conditions
 * changed (`s.changed`). Deadband (hysteresis in signal units), on-delay and off-delay are applied
 * here, in simulation seconds, so the result is as deterministic as the simulation. O(bindings),
 * no allocation. Returns the number of changes.
 *
 * With `inputs` (a plant fed by real sources), a rule whose input is bad or stale is not judged:
 * its condition holds as it was (no raise, no clear: the value is not known) and a pending delay
 * restarts; the bad-input bindings are active while any of their inputs is. Stale rules are judged
 * as always: lost data are what they watch. Without `inputs` nothing of this runs.
 */
export function evaluateConditions(
  c: CompiledRules,
  s: ConditionState,
  equipment: readonly EquipmentRuntime[],
  t: number,
  inputs: InputQuality | null = null,
): number {
  const {
    type,
    limit,
    deadband,
    onDelayS,
    offDelayS,
    param,
    flags,
    stateMask,
    eq,
    rule,
    sigOff,
    sigLen,
    sigIdx,
  } = c;
  const { cond, pendSince, value, refV, refT, raw, changed } = s;
  let nc = 0;
  const n = c.count;
  for (let b = 0; b < n; b++) {
    const e = equipment[eq[b]];
    const r = rule[b];
    const on = cond[b];
    const lim = limit[r];
    const db = deadband[r];
    let want = 0;
    if (inputs !== null && type[r] < STALE_TYPE && anyUnusable(c, inputs, b, type[r] === STATE_TYPE)) {
      pendSince[b] = Number.NaN;
      // A rate window across the gap would compare values the rule never saw: start a new one.
      if (type[r] === RATE_TYPE) refT[b] = Number.NaN;
      continue;
    }
    switch (type[r]) {
      case 0: // high
      case 1: {
        // high-high: the worst (largest) of the watched signals counts.
        const sig = e.signals;
        const o = sigOff[b];
        let v = sig[sigIdx[o]];
        for (let k = 1; k < sigLen[b]; k++) if (sig[sigIdx[o + k]] > v) v = sig[sigIdx[o + k]];
        value[b] = v;
        want = (on ? v > lim - db : v > lim) ? 1 : 0;
        break;
      }
      case 2: // low
      case 3: {
        const sig = e.signals;
        const o = sigOff[b];
        let v = sig[sigIdx[o]];
        for (let k = 1; k < sigLen[b]; k++) if (sig[sigIdx[o + k]] < v) v = sig[sigIdx[o + k]];
        value[b] = v;
        want = (on ? v < lim + db : v < lim) ? 1 : 0;
        break;
      }
      case 4: {
        // deviation from the setpoint (in `limit`) by more than the band.
        const v = e.signals[sigIdx[sigOff[b]]];
        value[b] = v;
        const d = Math.abs(v - lim);
        want = (on ? d > param[r] - db : d > param[r]) ? 1 : 0;
        break;
      }
      case 5: {
        // rate of change over windows of param[r] s, compared in units/s.
        const v = e.signals[sigIdx[sigOff[b]]];
        if (Number.isNaN(refT[b])) {
          refV[b] = v;
          refT[b] = t;
        } else if (t - refT[b] >= param[r]) {
          const rate = (v - refV[b]) / (t - refT[b]);
          value[b] = rate;
          const x = flags[r] === 1 ? rate : flags[r] === 2 ? -rate : Math.abs(rate);
          raw[b] = (on ? x > lim - db : x > lim) ? 1 : 0;
          refV[b] = v;
          refT[b] = t;
        }
        want = raw[b];
        break;
      }
      case 6:
        want = (stateMask[r] >> e.state) & 1;
        break;
      case 8: // bad input: any input of a rule of this equipment is bad or stale
        if (inputs !== null) {
          const o = sigOff[b];
          for (let k = 0; k < sigLen[b] && want === 0; k++)
            if (isUnusable(inputs.qualityOf(eq[b], sigIdx[o + k]))) want = 1;
        }
        break;
      default: {
        // stale: communication loss (offline state) or a value frozen for param[r] s.
        if (sigLen[b] > 0) {
          const v = e.signals[sigIdx[sigOff[b]]];
          if (v !== refV[b] || Number.isNaN(refT[b])) {
            refV[b] = v;
            refT[b] = t;
          }
          value[b] = t - refT[b];
          if (param[r] > 0 && t - refT[b] >= param[r]) want = 1;
        }
        if (flags[r] === 1 && e.state === STATE_CODE.offline) want = 1;
      }
    }
    if (want !== on) {
      if (Number.isNaN(pendSince[b])) pendSince[b] = t;
      if (t - pendSince[b] >= (want ? onDelayS[r] : offDelayS[r])) {
        cond[b] = want;
        pendSince[b] = Number.NaN;
        changed[nc++] = b;
      }
    } else pendSince[b] = Number.NaN;
  }
  s.changedCount = nc;
  return nc;
}

/**
 * Suppression by design (ISA-18.2 "designed suppression"), per equipment, into `s.suppressed`:
 * equipment in maintenance; and on a line, the consequences of a stop: a starved or blocked
 * machine is suppressed while another machine of its line is in fault, maintenance or offline
 * (that one's alarm is the cause), and otherwise all but the most upstream starved / most
 * downstream blocked one (one alarm says where the line stopped). O(equipment), no allocation.
 */
export function computeSuppression(
  lineFlows: readonly Int32Array[],
  s: ConditionState,
  equipment: readonly EquipmentRuntime[],
  t: number,
): void {
  const sup = s.suppressed;
  s.suppressedBefore.set(sup);
  for (let i = 0; i < equipment.length; i++) sup[i] = equipment[i].state === STATE_CODE.maintenance ? 1 : 0;
  for (const flow of lineFlows) {
    let cause = false;
    for (let k = 0; k < flow.length; k++) {
      const st = equipment[flow[k]].state;
      if (st === STATE_CODE.fault || st === STATE_CODE.maintenance || st === STATE_CODE.offline) cause = true;
    }
    let seen = cause;
    for (let k = 0; k < flow.length; k++) {
      if (equipment[flow[k]].state !== STATE_CODE.starved) continue;
      if (seen) sup[flow[k]] = 1;
      seen = true;
    }
    seen = cause;
    for (let k = flow.length - 1; k >= 0; k--) {
      if (equipment[flow[k]].state !== STATE_CODE.blocked) continue;
      if (seen) sup[flow[k]] = 1;
      seen = true;
    }
  }
  for (let i = 0; i < equipment.length; i++)
    if (s.suppressedBefore[i] === 1 && sup[i] === 0) s.suppressionEndS[i] = t;
}

/**
 * Whether binding `b` counts as suppressed at sim time `t`: while its equipment is, and for the
 * rule's off-delay + 1 s after (so a consequence that is about to clear with its cause is not
 * announced again in the moment between the two).
 */
export function isSuppressed(c: CompiledRules, s: ConditionState, b: number, t: number): boolean {
  const e = c.eq[b];
  return s.suppressed[e] === 1 || t - s.suppressionEndS[e] < c.offDelayS[c.rule[b]] + SUPPRESSION_HOLD_S;
}

/** Extra time suppression is held after it ends, beyond the rule's off-delay, s (sim). */
export const SUPPRESSION_HOLD_S = 1;
