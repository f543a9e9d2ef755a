import type { Alarm, EquipmentSpec } from '../../protocol';
import {
  ALARM_TEXT_CODE,
  type AlarmTemplate,
  type AlarmTextParams,
  enText,
  renderAlarmTemplate,
  signalsOf,
} from '../../protocol';
import { type CompiledRules, RULE_TYPE, STATE_INPUT } from './compile';
import { displayState, initialLife } from './lifecycle';
import type { AlarmRule } from './ruleSchema';
import { type AlarmRecord, type InputQuality, isUnusable } from './types';

/** A raise on a line within this long after another one is part of the same burst (not first-out), s (sim). */
export const FIRST_OUT_WINDOW_S = 30;

/** A never-raised alarm of binding `b`, in normal. */
export function newRecord(c: CompiledRules, b: number, spec: EquipmentSpec): AlarmRecord {
  const rule = c.rules[c.rule[b]];
  const badInput = isBadInput(c, b);
  const signal = badInput ? undefined : firstSignal(c, b, spec);
  const alarm: Alarm = {
    id: c.alarmIds[b],
    ruleId: rule.id,
    equipmentId: spec.id,
    priority: rule.priority,
    state: 'normal',
    active: false,
    message: '',
    value: null,
    limit: limitOf(c, b),
    raisedAt: 0,
    raisedSimS: 0,
    seq: 0,
  };
  if (signal) {
    alarm.signal = signal.key;
    alarm.unit = rule.type === 'rate' ? `${signal.unit}/${rule.per}` : signal.unit;
  } else if (rule.type === 'stale' && rule.staleS !== undefined) alarm.unit = 's';
  if (badInput) setBadInputText(alarm, spec, badInputSignals(c, b, spec, null));
  else setAlarmText(alarm, rule, spec);
  return { alarm, life: { ...initialLife(rule.latching), active: false }, ackedSimS: null };
}

function firstSignal(c: CompiledRules, b: number, spec: EquipmentSpec) {
  return c.sigLen[b] > 0 ? signalsOf(spec.kind)[c.sigIdx[c.sigOff[b]]] : undefined;
}

/** The limit a binding's alarm reports: the rule's limit in the rule's own units, or null. */
function limitOf(c: CompiledRules, b: number): number | null {
  const rule = c.rules[c.rule[b]];
  if (rule.type === 'deviation') return rule.band;
  if (rule.type === 'stale') return rule.staleS ?? null;
  return 'limit' in rule ? rule.limit : null;
}

/**
 * The value a binding reports now (null for state rules and communication loss): for several
 * watched signals the worst one, and for rate rules in the rule's unit (per s or per min).
 */
export function reportedValue(c: CompiledRules, b: number, raw: number): number | null {
  const rule = c.rules[c.rule[b]];
  if (rule.type === 'state' || !Number.isFinite(raw)) return null;
  if (rule.type === 'stale' && rule.staleS === undefined) return null;
  const v = rule.type === 'rate' && rule.per === 'min' ? raw * 60 : raw;
  return Math.round(v * 1000) / 1000;
}

/** Every rule's message templates by rule id. */
export function alarmTemplates(rules: readonly AlarmRule[]): Record<string, AlarmTemplate> {
  const out: Record<string, AlarmTemplate> = {};
  for (const r of rules) out[r.id] = ruleTemplate(r);
  return out;
}

/** A rule's message template in every language the rules file gives it in. */
export function ruleTemplate(rule: AlarmRule): AlarmTemplate {
  return typeof rule.message === 'string' ? { en: rule.message } : rule.message;
}

/** The params of an alarm's `alarm.rule` text: value and limit rounded to 0.1, absent when none. */
export function alarmTextParams(ruleId: string, spec: EquipmentSpec, a: Alarm): AlarmTextParams {
  const p: AlarmTextParams = { rule: ruleId, id: spec.id };
  if (a.value !== null) p.value = Math.round(a.value * 10) / 10;
  if (a.limit !== null) p.limit = Math.round(a.limit * 10) / 10;
  if (a.unit !== undefined) p.unit = a.unit;
  return p;
}

/**
 * Sets an alarm's text from its rule and its current value: the `alarm.rule` code with its params,
 * and the English `message` rendered from the same params ({id} {name} {value} {limit} {unit}).
 */
export function setAlarmText(a: Alarm, rule: AlarmRule, spec: EquipmentSpec): void {
  const params = alarmTextParams(rule.id, spec, a);
  a.text = { code: ALARM_TEXT_CODE, params: { ...params } };
  a.message = renderAlarmTemplate(ruleTemplate(rule).en, { ...params }, spec.name);
}

/** The record's alarm after a life change: state, active flag and, on a raise, raise fields. */
export function withLife(r: AlarmRecord, life: AlarmRecord['life']): AlarmRecord {
  const alarm: Alarm = { ...r.alarm, state: displayState(life), active: life.active };
  if (life.shelvedUntil === null) {
    delete alarm.shelvedUntil;
    delete alarm.shelvedBy;
  }
  if (life.shelvedUntil === null && !life.oos) delete alarm.reason;
  return { ...r, alarm, life };
}

/** Whether going from one record to the next is a raise (annunciated as new). */
export function isRaise(from: Alarm['state'], to: Alarm['state']): boolean {
  return (
    (to === 'unacknowledged' || to === 'suppressed') && (from === 'normal' || from === 'rtn-unacknowledged')
  );
}

/** Whether binding `b` is the built-in bad-input alarm of its equipment. */
export function isBadInput(c: CompiledRules, b: number): boolean {
  return c.type[c.rule[b]] === RULE_TYPE['bad-input'];
}

/**
 * The inputs of bad-input binding `b` that are bad or stale now, as signal keys (`state` for the
 * machine state) joined by ', '; every input when `inputs` is null. Allocates: call on a raise.
 */
export function badInputSignals(
  c: CompiledRules,
  b: number,
  spec: EquipmentSpec,
  inputs: InputQuality | null,
): string {
  const defs = signalsOf(spec.kind);
  const out: string[] = [];
  for (let k = 0; k < c.sigLen[b]; k++) {
    const sig = c.sigIdx[c.sigOff[b] + k];
    if (inputs && !isUnusable(inputs.qualityOf(c.eq[b], sig))) continue;
    out.push(sig === STATE_INPUT ? 'state' : (defs[sig]?.key ?? String(sig)));
  }
  return out.join(', ');
}

/** Sets a bad-input alarm's text: the `alarm.badInput` code with the equipment and its bad inputs. */
export function setBadInputText(a: Alarm, spec: EquipmentSpec, signals: string): void {
  const t = enText('alarm.badInput', { equipment: spec.id, signals });
  a.text = t.text;
  a.message = t.message;
}
