import type { ScenarioParameter } from '../../protocol/scenario';
import type { ConveyorRuntime, LineRuntime } from './conveyorLine';
import {
  type Changeover,
  done,
  notDone,
  type ScenarioActionResult,
  type ScriptedState,
  scriptedOf,
} from './scriptedFaults';
import { emit, HELD, type SimWorld } from './state';
import type { VisionRuntime } from './vision';

/**
 * Plant parameters a training scenario changes: a vision station's true defect rate, a line's belt
 * speed, and an order-mix change (new product, new takt, optionally a changeover). Layout values
 * are the base; the scripted state holds what a scenario set and what its faults take away
 * (congestion slows belts, defocus and congestion add false rejects), and the runtime fields the
 * plant reads (`nominal`, `defectRate`, `targetPerHour`) are recomputed from them.
 */

/** A belt never runs slower than this under congestion: the station inspects what frames it gets, m/s share. */
export const MIN_BELT_FACTOR = 0.3;

// The plant reads these runtime fields as constants; only this module rewrites them.
type Writable<T> = { -readonly [P in keyof T]: T[P] };
const mutConveyor = (c: ConveyorRuntime) => c as Writable<ConveyorRuntime>;
const mutVision = (v: VisionRuntime) => v as Writable<VisionRuntime>;
const mutLine = (l: LineRuntime) => l as Writable<LineRuntime>;

/** Sets a conveyor's running speed from the layout, a scenario's setting and the congestion factor. */
export function applyBelt(w: SimWorld, s: ScriptedState, c: ConveyorRuntime): void {
  const spec = w.layout.equipment[c.eq];
  const base =
    Number.isNaN(s.beltSet[c.eq]) && spec.kind === 'conveyor' ? spec.props.beltSpeed : s.beltSet[c.eq];
  mutConveyor(c).nominal = base * s.beltFactor[c.eq];
}

/** Sets a station's reject probability: true defects plus false rejects, at most 1. */
export function applyRejects(w: SimWorld, s: ScriptedState, v: VisionRuntime): void {
  const spec = w.layout.equipment[v.eq];
  const base =
    Number.isNaN(s.defectSet[v.eq]) && spec.kind === 'vision-station'
      ? spec.props.defectRate
      : s.defectSet[v.eq];
  mutVision(v).defectRate = Math.min(1, base + s.falseReject[v.eq] + s.congestionReject[v.eq]);
}

/** Changes one plant parameter now. Refuses (changing nothing) an id of the wrong kind. */
export function setParameter(w: SimWorld, p: ScenarioParameter): ScenarioActionResult {
  if (p.parameter === 'defect-rate') {
    const v = w.lines.find((l) => l.vision?.eq === w.indexById.get(p.equipment))?.vision;
    if (!v) return notDone('scenario.refused.notVisionOfLine', { equipment: p.equipment });
    if (!(p.value >= 0 && p.value <= 1))
      return notDone('scenario.refused.defectRateRange', { value: p.value });
    const s = scriptedOf(w);
    s.defectSet[v.eq] = p.value;
    applyRejects(w, s, v);
    return done('scenario.defectRateSet', { equipment: p.equipment, pct: (100 * p.value).toFixed(1) });
  }
  const line = w.lines.find((l) => l.id === p.line);
  if (!line) return notDone('scenario.refused.unknownLine', { line: p.line });
  if (line.conveyors.length === 0) return notDone('scenario.refused.noConveyors', { line: p.line });
  if (p.parameter === 'belt-speed') {
    if (!(p.value > 0 && p.value <= 2)) return notDone('scenario.refused.beltSpeedRange', { value: p.value });
    const s = scriptedOf(w);
    for (const c of line.conveyors) {
      s.beltSet[c.eq] = p.value;
      applyBelt(w, s, c);
    }
    return done('scenario.beltSpeedSet', { line: p.line, speed: p.value });
  }
  if (!(p.taktS > 0)) return notDone('scenario.refused.taktRange', { value: p.taktS });
  const s = scriptedOf(w);
  for (const c of line.conveyors) {
    // One unit per pitch of belt: the belt runs one pitch per takt.
    s.beltSet[c.eq] = c.pitch / p.taktS;
    applyBelt(w, s, c);
  }
  mutLine(line).targetPerHour = Math.round(3600 / p.taktS);
  s.products[w.lines.indexOf(line)] = p.product;
  if (p.changeoverS > 0) return startChangeover(w, s, line, p.product, p.taktS, p.changeoverS);
  emit(w, 'info', 'info', -1, 'event.line.productChanged', {
    line: line.id,
    product: p.product,
    taktS: p.taktS,
  });
  return done('scenario.productSet', { line: p.line, product: p.product, taktS: p.taktS });
}

/** Robot arms and conveyors of a line (the machines a line command drives). */
export function lineMachines(w: SimWorld, line: LineRuntime): Int32Array {
  return Int32Array.from(
    Array.from(line.flow).filter((e) => {
      const k = w.equipment[e].kind;
      return k === 'robot-arm' || k === 'conveyor';
    }),
  );
}

/**
 * A changeover: the line's machines go into maintenance (new programs, tooling and feeder reels)
 * and are stopped, so the line cannot run; when it is done they stay stopped for an operator start.
 */
function startChangeover(
  w: SimWorld,
  s: ScriptedState,
  line: LineRuntime,
  product: string,
  taktS: number,
  changeoverS: number,
): ScenarioActionResult {
  if (s.changeovers.some((c) => c.line === line))
    return notDone('scenario.refused.alreadyChangingOver', { line: line.id });
  const machines = lineMachines(w, line);
  const members = machines.filter((e) => w.maint[e] === 0);
  for (const e of members) w.maint[e] = 1;
  for (const e of machines) if (w.held[e] === HELD.none) w.held[e] = HELD.stopped;
  const c: Changeover = { line, product, taktS, untilS: w.simTimeS + changeoverS, members };
  s.changeovers.push(c);
  const min = (changeoverS / 60).toFixed(changeoverS < 600 ? 1 : 0);
  emit(w, 'state', 'info', -1, 'event.line.changeoverStarted', { line: line.id, product, minutes: min });
  return done('scenario.changingOver', { line: line.id, product, seconds: changeoverS });
}

/** Ends the changeovers that are due: the machines leave maintenance and wait stopped for a start. */
export function stepChangeovers(w: SimWorld, s: ScriptedState): void {
  for (let i = s.changeovers.length - 1; i >= 0; i--) {
    const c = s.changeovers[i];
    if (w.simTimeS < c.untilS) continue;
    s.changeovers.splice(i, 1);
    for (const e of c.members) w.maint[e] = 0;
    emit(w, 'state', 'info', -1, 'event.line.changeoverDone', {
      line: c.line.id,
      product: c.product,
      taktS: c.taktS,
    });
  }
}
