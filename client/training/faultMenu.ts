import {
  type EquipmentFaultKind,
  type EquipmentSpec,
  faultsForKind,
  type ScenarioFault,
  type ScenarioFaultKind,
} from '../../protocol';

/** One entry of the inspector's "Inject fault" menu. */
export interface FaultChoice {
  kind: ScenarioFaultKind;
  /** The equipment or, for a power dip, the line the fault acts on. */
  target: string;
  fault: ScenarioFault;
}

/**
 * The faults a trainer may inject by hand on this equipment, with the parameters a hand
 * injection uses (faster than the scenario-file defaults, so something happens within minutes).
 */
export function faultChoices(spec: Pick<EquipmentSpec, 'id' | 'kind' | 'line'>): FaultChoice[] {
  const out: FaultChoice[] = faultsForKind(spec.kind).map((kind) => ({
    kind,
    target: spec.id,
    fault: faultFor(kind, spec.id),
  }));
  if (spec.line)
    out.push({
      kind: 'power-dip',
      target: spec.line,
      fault: { kind: 'power-dip', line: spec.line, durationS: 0.5, autoRestart: false },
    });
  return out;
}

function faultFor(kind: EquipmentFaultKind, equipment: string): ScenarioFault {
  switch (kind) {
    case 'joint-overheat':
      return { kind, equipment, joint: 2, rateKPerMin: 6 };
    case 'bearing-wear':
      return { kind, equipment, failAfterS: 300 };
    case 'conveyor-jam':
    case 'agv-breakdown':
    case 'cell-outage':
      return { kind, equipment };
    case 'drone-battery':
      return { kind, equipment, drainPctPerMin: 40 };
    case 'camera-defocus':
      return { kind, equipment, focusPct: 70, falseRejectRate: 0.08 };
    case 'uplink-congestion':
      return { kind, equipment, capacityPct: 25 };
    case 'transformer-overheat':
      return { kind, equipment, riseK: 45, rampS: 300 };
  }
}
