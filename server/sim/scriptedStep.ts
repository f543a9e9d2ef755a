import { stepChangeovers } from './scenarioParams';
import { type ScriptedState, untrack } from './scriptedFaults';
import { stepBearing, stepDefocus, stepOverheat, stepStopped, stepTransformer } from './scriptedMachines';
import { stepBreakdown, stepDroneBattery } from './scriptedMobile';
import { stepCongestion, stepOutage } from './scriptedNetwork';
import type { SimWorld } from './state';

/**
 * What a training scenario's faults add on top of the plant's step (ramps, wear, drain, a cell off
 * the air, a congested uplink) — run after the plant, because they adjust what the plant computed.
 * A world without a scenario, or with none of its faults active, is left as the plant made it.
 */
export function stepScriptedFaults(w: SimWorld, dtS: number): void {
  const s = w.scripted;
  if (s !== undefined && (s.active.length > 0 || s.changeovers.length > 0)) stepScripted(w, s, dtS);
}

/** Each scripted fault's per-step behaviour, in injection order; ended ones stop being tracked. */
function stepScripted(w: SimWorld, s: ScriptedState, dt: number): void {
  if (s.changeovers.length) stepChangeovers(w, s);
  let congestion = false;
  for (let i = 0; i < s.active.length; i++) {
    const f = s.active[i];
    let ended = false;
    switch (f.kind) {
      case 'joint-overheat':
        stepOverheat(w, f, dt);
        ended = stepStopped(w, f);
        break;
      case 'bearing-wear':
        stepBearing(w, f, dt);
        ended = stepStopped(w, f);
        break;
      case 'agv-breakdown':
        stepBreakdown(w, f);
        ended = stepStopped(w, f);
        break;
      case 'conveyor-jam':
      case 'power-dip':
        ended = stepStopped(w, f);
        break;
      case 'drone-battery':
        stepDroneBattery(w, f, dt);
        break;
      case 'camera-defocus':
        ended = stepDefocus(w, s, f);
        break;
      case 'cell-outage':
        stepOutage(w, f);
        break;
      case 'uplink-congestion':
        congestion = true;
        break;
      case 'transformer-overheat':
        stepTransformer(w, f, dt);
        break;
    }
    if (ended) untrack(s, i--);
  }
  if (congestion) stepCongestion(w, s);
}
