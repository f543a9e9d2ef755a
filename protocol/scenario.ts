import type { AlarmState, AlarmTransition } from './alarms';
import type { Role } from './auth';
import type { CommandAction } from './commands';
import type { PlantEvent } from './events';
import type { EquipmentKind } from './kinds';
import type { ScenarioFault } from './requests/faults';
import type { CodedText, TranslatedLocale, Translations } from './text';

/**
 * Training scenarios (issue 5): a scripted, repeatable run of a plant — a seed, a time scale and a
 * timeline of steps at simulation times (inject a fault, clear it, change a parameter, show the
 * trainee a message, send a command) — and the expectations a trainee's response is scored against.
 * Shared by the server (which validates, plays and scores) and the trainer console. Types only.
 * All times are simulation seconds from the start of the run.
 */

/** Faults a scenario can inject; every one is marked as simulated in the world and its events. */
export const SCENARIO_FAULT_KINDS = [
  'joint-overheat',
  'bearing-wear',
  'conveyor-jam',
  'agv-breakdown',
  'drone-battery',
  'camera-defocus',
  'cell-outage',
  'uplink-congestion',
  'power-dip',
  'transformer-overheat',
] as const;
export type ScenarioFaultKind = (typeof SCENARIO_FAULT_KINDS)[number];

/** Fault kinds that act on one piece of equipment (a power dip acts on a whole line). */
export type EquipmentFaultKind = Exclude<ScenarioFaultKind, 'power-dip'>;

/** Which equipment kinds each equipment fault can be injected on (scenario checks and the inspector). */
export const FAULT_TARGET_KINDS: Readonly<Record<EquipmentFaultKind, readonly EquipmentKind[]>> = {
  'joint-overheat': ['robot-arm'],
  'bearing-wear': ['robot-arm', 'conveyor'],
  'conveyor-jam': ['conveyor'],
  'agv-breakdown': ['agv'],
  'drone-battery': ['drone'],
  'camera-defocus': ['vision-station'],
  'cell-outage': ['base-station'],
  'uplink-congestion': ['base-station'],
  'transformer-overheat': ['transformer'],
};

/** The equipment faults that fit an equipment kind, in SCENARIO_FAULT_KINDS order. */
export function faultsForKind(kind: EquipmentKind): EquipmentFaultKind[] {
  return (Object.keys(FAULT_TARGET_KINDS) as EquipmentFaultKind[]).filter((f) =>
    FAULT_TARGET_KINDS[f].includes(kind),
  );
}

/** One injected fault, by kind, with its parameters (its schema is `faultSchema`). */
export type { ScenarioFault } from './requests/faults';

/** Plant parameters a scenario can change. */
export const SCENARIO_PARAMETERS = ['defect-rate', 'belt-speed', 'order-mix'] as const;
export type ScenarioParameterName = (typeof SCENARIO_PARAMETERS)[number];

export type ScenarioParameter =
  /** True defect probability of a vision station's units, 0..1. */
  | { parameter: 'defect-rate'; equipment: string; value: number }
  /** Belt speed of every conveyor of a line, m/s. */
  | { parameter: 'belt-speed'; line: string; value: number }
  /**
   * A new product on a line: its takt (s per unit) sets the belt speed and target; a changeover of
   * `changeoverS` holds the line in maintenance first, then leaves it stopped for an operator start.
   */
  | { parameter: 'order-mix'; line: string; product: string; taktS: number; changeoverS: number };

/** A command the scenario itself sends (the trainer's hand, not the trainee's). */
export interface ScenarioCommand {
  equipment: string;
  action: CommandAction;
  /** go-to: the path node. */
  node?: string;
}

/** What a step does. */
export type ScenarioAction =
  | { type: 'fault'; fault: ScenarioFault }
  /** Ends the scripted faults on equipment (or a line, for a power dip), all or of one kind. */
  | { type: 'clear'; equipment: string; kind?: ScenarioFaultKind }
  | { type: 'set'; set: ScenarioParameter }
  /** Shown to the trainee; changes nothing in the plant. `text` is English; `texts` its translations. */
  | { type: 'message'; text: string; texts?: Translations }
  | { type: 'command'; command: ScenarioCommand };

/** One timeline step: what happens at `atS`. `index` is its position in the file's timeline. */
export interface ScenarioStep {
  atS: number;
  index: number;
  action: ScenarioAction;
}

/** What a trainee is expected to do; each is met or missed, with a reason. */
export type ScenarioExpectation =
  /** The alarm `rule@equipment`, first raised at or after `afterS`, is acknowledged within `withinS`. */
  | {
      id: string;
      type: 'alarm-ack';
      label: string;
      labels?: Translations;
      rule: string;
      equipment: string;
      withinS: number;
      afterS: number;
      /** false: met when the alarm is never raised (the trainee may have prevented it). */
      required: boolean;
    }
  /** One of `actions` is sent to one of `equipment` (equipment or line ids), accepted, in [afterS, byS]. */
  | {
      id: string;
      type: 'command';
      label: string;
      labels?: Translations;
      equipment: string[];
      actions: CommandAction[];
      afterS: number;
      byS: number;
    }
  /** The line, stopped at or after `afterS`, is running again by `byS`. */
  | {
      id: string;
      type: 'line-running';
      label: string;
      labels?: Translations;
      line: string;
      afterS: number;
      byS: number;
    };

/** A validated scenario, ids checked against its plant and the alarm rules. */
export interface Scenario {
  id: string;
  /** English texts; ScenarioTranslations gives them in other languages. */
  name: string;
  description: string;
  learningGoal: string;
  translations?: ScenarioTranslations;
  /** Plant file path (relative to the scenario file) or 'default'. */
  plant: string;
  seed: number;
  /** Start time scale, MIN_SPEED..MAX_SPEED (limits.ts). */
  speed: number;
  durationS: number;
  /** Whether the plant's own random faults and planned maintenance run too (default false). */
  randomFaults: boolean;
  /** Sorted by atS (file order among equal times). */
  timeline: ScenarioStep[];
  expectations: ScenarioExpectation[];
}

/** The catalog entry of a scenario (`GET /api/scenarios`). */
export interface ScenarioSummary {
  id: string;
  name: string;
  description: string;
  learningGoal: string;
  translations?: ScenarioTranslations;
}

/** A scenario's name, description and learning goal in other languages (English is the base). */
export type ScenarioTranslations = {
  [L in TranslatedLocale]?: { name?: string; description?: string; learningGoal?: string };
};

/** An alarm transition as a trainee record holds it: sim time, ids, states, who acted. */
export interface RecordedAlarm {
  simS: number;
  alarmId: string;
  ruleId: string;
  equipmentId: string;
  from: AlarmState;
  to: AlarmState;
  user?: string;
  reason?: string;
}

/** A command a trainee sent, and how the plant answered. */
export interface RecordedCommand {
  simS: number;
  equipmentId: string;
  action: string;
  ok: boolean;
  message: string;
  /** The plant's answer as a text code (`cmd.*`). */
  text?: CodedText;
  user?: string;
}

/** A line's running state from `simS` on (a change, or the first sample). */
export interface RecordedLineState {
  simS: number;
  line: string;
  running: boolean;
}

/** What a trainee did and how the plant went, the input of the scoring. */
export interface TraineeRecord {
  /** Sim time the record ends, s. */
  endS: number;
  alarms: RecordedAlarm[];
  commands: RecordedCommand[];
  lines: RecordedLineState[];
}

/** Why an expectation was met or missed. */
export type ExpectationReason =
  | 'acknowledged-in-time'
  | 'acknowledged-late'
  | 'not-acknowledged'
  | 'never-raised'
  | 'sent-in-time'
  | 'sent-late'
  | 'refused'
  | 'never-sent'
  | 'running-in-time'
  | 'running-late'
  | 'never-running'
  | 'never-stopped';

/** One expectation, scored. */
export interface ExpectationResult {
  id: string;
  type: ScenarioExpectation['type'];
  label: string;
  /** The label in other languages. */
  labels?: Translations;
  met: boolean;
  reason: ExpectationReason;
  /** Plain-language explanation for the debrief (English, for logs and API users). */
  detail: string;
  /** The same as text codes, rendered in the reader's language and joined (see debriefTexts). */
  texts?: CodedText[];
  /** Sim time of the deciding moment (the acknowledgement, the command, the restart), s. */
  atS?: number;
  /** Time to acknowledge (from the raise), to command (from afterS) or the line's downtime, s. */
  elapsedS?: number;
  /** Commands with the expected action sent to other equipment in the window (wrong target). */
  wrongEquipment?: string[];
}

/** A plant event of a scenario run; `simulated` when a scripted fault caused it. */
export type ScenarioPlantEvent = PlantEvent & { simulated?: true };

/** One entry of a scenario run's event log, in the order things happened, with its sim time. */
export type ScenarioLogEntry =
  | { simS: number; kind: 'event'; event: ScenarioPlantEvent }
  | { simS: number; kind: 'alarm'; transition: AlarmTransition }
  /** A timeline step applied (ok) or not possible then (message says why); `message` steps carry their text. */
  | {
      simS: number;
      kind: 'step';
      step: number;
      atS: number;
      action: ScenarioAction['type'];
      ok: boolean;
      message: string;
      text?: CodedText;
    }
  /** A command the trainee sent, and the plant's answer. */
  | {
      simS: number;
      kind: 'command';
      equipmentId: string;
      action: string;
      ok: boolean;
      message: string;
      text?: CodedText;
      user: string;
    };

/** What a debrief lists as a trainee's mistake. */
export type MistakeKind =
  /** The expected action was sent to other equipment than the fault's. */
  | 'wrong-equipment'
  /** The plant refused a command (not possible then, unknown target). */
  | 'refused-command'
  /** An alarm was shelved with a reason too thin to tell the next shift anything. */
  | 'shelved-without-reason'
  /** An alarm still waited for an acknowledgement when the run ended. */
  | 'left-unacknowledged';

/** One mistake, at its sim time, for the debrief. */
export interface Mistake {
  kind: MistakeKind;
  /** Sim time, s (the end of the run for 'left-unacknowledged'). */
  simS: number;
  /** Equipment or alarm id. */
  target: string;
  /** English, for logs and API users. */
  detail: string;
  /** The same as text codes, rendered in the reader's language and joined. */
  texts?: CodedText[];
}

/** One alarm a trainee acknowledged: when it was raised and how long the acknowledgement took. */
export interface AckTiming {
  alarmId: string;
  equipmentId: string;
  /** Sim time of the raise the acknowledgement answered, s. */
  raisedS: number;
  /** Sim time of the acknowledgement, s. */
  ackS: number;
  /** Time to acknowledge, s. */
  elapsedS: number;
}

/** One trainee's debrief (`GET /api/sessions/:id/report`). */
export interface TraineeReport {
  user: string;
  role: Role;
  /** Expectations met, of `total`. */
  met: number;
  total: number;
  /** Alarm acknowledgements and commands this trainee sent. */
  acks: number;
  commands: number;
  results: ExpectationResult[];
  /** Each acknowledgement this trainee made, with the time it took; in time order. */
  acknowledgements: AckTiming[];
  /** Every command this trainee sent and how the plant answered; in time order. */
  commandsSent: RecordedCommand[];
  /** Wrong equipment, refused commands, thin shelve reasons, alarms left unacknowledged; in time order. */
  mistakes: Mistake[];
}
