import { z } from 'zod';
import { MAX_SCENARIO_S } from '../limits';
import { SCENARIO_FAULT_KINDS } from '../scenario';
import { bool, idRef, numberIn } from './fields';

const equipment = idRef('an equipment');
const line = idRef('a line');

const fault = <K extends (typeof SCENARIO_FAULT_KINDS)[number], S extends z.ZodRawShape>(
  kind: K,
  fields: S,
) => z.object({ kind: z.literal(kind), ...fields }).strict();

/**
 * One injected fault, by kind, as scenario files and `training:inject` write it; parameters in the
 * units their names say, defaults filled in by the schema.
 */
export const faultSchema = z.discriminatedUnion(
  'kind',
  [
    // A robot joint motor heats at a steady ramp while powered, trips at 85 °C.
    fault('joint-overheat', {
      equipment,
      joint: z.int({ error: 'expected a joint 1 to 6' }).min(1).max(6).default(2),
      rateKPerMin: numberIn(0.1, 60, 'a rate in K/min').default(3),
    }),
    // A bearing wears while the machine runs: vibration rises through ISO 10816 zone C, then D, then fails.
    fault('bearing-wear', {
      equipment,
      failAfterS: numberIn(10, MAX_SCENARIO_S, 'a running time in seconds').default(900),
    }),
    // A conveyor jams and stops its line until reset.
    fault('conveyor-jam', { equipment }),
    // An AGV breaks down on its path (the next time it drives, past `atNode` if given) and holds its node.
    fault('agv-breakdown', { equipment, atNode: idRef('a path node').optional() }),
    // A drone's battery drains fast in flight, forcing an early return.
    fault('drone-battery', { equipment, drainPctPerMin: numberIn(1, 200, 'a drain in %/min').default(40) }),
    // A vision camera drifts out of focus: its focus score drops and good units get rejected.
    fault('camera-defocus', {
      equipment,
      focusPct: numberIn(1, 99, 'a focus score in %').default(70),
      falseRejectRate: numberIn(0, 1, 'a probability').default(0.08),
    }),
    // A 5G cell goes down; its devices reattach to neighbours with worse RSRP and latency.
    fault('cell-outage', { equipment }),
    // A 5G cell's uplink capacity collapses to `capacityPct` %: camera streams and inspection suffer.
    fault('uplink-congestion', { equipment, capacityPct: numberIn(1, 99, 'a share in %').default(25) }),
    // A supply voltage dip trips every robot arm and conveyor of a line for `durationS`.
    fault('power-dip', {
      line,
      durationS: numberIn(0.1, 600, 'a duration in seconds').default(0.5),
      autoRestart: bool.default(true),
    }),
    // A transformer's cooling fails: top-oil rises by `riseK` over `rampS`.
    fault('transformer-overheat', {
      equipment,
      riseK: numberIn(1, 100, 'a rise in K').default(45),
      rampS: numberIn(10, MAX_SCENARIO_S, 'a duration in seconds').default(600),
    }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `expected one of: ${SCENARIO_FAULT_KINDS.join(', ')}`
        : 'expected a fault with a "kind"',
  },
);

/** One injected fault with every parameter (defaults filled in), as the simulation applies it. */
export type ScenarioFault = z.output<typeof faultSchema>;
