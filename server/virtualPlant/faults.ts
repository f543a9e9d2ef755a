import {
  FAULT_TARGET_KINDS,
  faultSchema,
  type Layout,
  MAX_SCENARIO_S,
  SCENARIO_FAULT_KINDS,
  type ScenarioFaultKind,
  type ScenarioStep,
} from '../../protocol';

/** Most faults one `--faults` may script. */
const MAX_FAULTS = 100;

/**
 * `--faults SPEC`: `TARGET:KIND@SECONDS[:param=value...][,...]` (simulation time from the start,
 * s; parameters as training scenario files name them, e.g. `rateKPerMin=30`, the others take the
 * scenarios' defaults), checked by faultSchema and against the
 * plant: the target exists and the fault fits its kind. Returns the timeline the session applies,
 * as a training scenario's (so they develop exactly as in training: a joint heats up, then trips).
 */
export function parseFaults(
  spec: string,
  layout: Layout,
): { ok: true; timeline: ScenarioStep[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const timeline: ScenarioStep[] = [];
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, errors: ['--faults: expected TARGET:KIND@SECONDS'] };
  if (parts.length > MAX_FAULTS) return { ok: false, errors: [`--faults: at most ${MAX_FAULTS} faults`] };
  const kindOf = new Map(layout.equipment.map((e) => [e.id, e.kind]));
  const lines = new Set(layout.lines.map((l) => l.id));
  parts.forEach((part, index) => {
    const m = /^([^:@\s]+):([a-z-]+)@(\d+(?:\.\d+)?)((?::[A-Za-z]+=[^:,\s]+)*)$/.exec(part);
    if (!m) {
      errors.push(
        `--faults: "${part}" is not TARGET:KIND@SECONDS[:param=value...] (e.g. L1-R2:joint-overheat@20:rateKPerMin=30)`,
      );
      return;
    }
    const [, target, kind, at, rawParams] = m;
    const atS = Number(at);
    if (!(SCENARIO_FAULT_KINDS as readonly string[]).includes(kind)) {
      errors.push(`--faults: "${kind}" is not a fault; expected one of ${SCENARIO_FAULT_KINDS.join(', ')}`);
      return;
    }
    if (atS > MAX_SCENARIO_S) {
      errors.push(`--faults: ${part}: at most ${MAX_SCENARIO_S} s`);
      return;
    }
    const k = kind as ScenarioFaultKind;
    if (k === 'power-dip') {
      if (!lines.has(target)) {
        errors.push(`--faults: ${part}: no line "${target}" in the plant (power-dip takes a line id)`);
        return;
      }
    } else {
      const eqKind = kindOf.get(target);
      if (!eqKind) {
        errors.push(`--faults: ${part}: no equipment "${target}" in the plant`);
        return;
      }
      const fits = FAULT_TARGET_KINDS[k];
      if (!fits.includes(eqKind)) {
        errors.push(`--faults: ${part}: "${target}" is a ${eqKind}; ${k} fits ${fits.join(', ')}`);
        return;
      }
    }
    const params: Record<string, unknown> = {};
    for (const kv of rawParams.split(':').filter(Boolean)) {
      const [key, value] = kv.split('=');
      params[key] =
        value === 'true'
          ? true
          : value === 'false'
            ? false
            : Number.isNaN(Number(value))
              ? value
              : Number(value);
    }
    const target_ = k === 'power-dip' ? { line: target } : { equipment: target };
    const r = faultSchema.safeParse({ ...params, kind: k, ...target_ });
    if (!r.success) {
      const i = r.error.issues[0];
      errors.push(`--faults: ${part}: ${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
      return;
    }
    timeline.push({ atS, index, action: { type: 'fault', fault: r.data } });
  });
  if (errors.length) return { ok: false, errors };
  // The session applies a timeline in order of time (file order among equal times).
  timeline.sort((a, b) => a.atS - b.atS || a.index - b.index);
  return { ok: true, timeline };
}
