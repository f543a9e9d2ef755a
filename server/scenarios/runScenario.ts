import type { Alarm, AlarmTransition, Layout } from '../../protocol';
import { TICK_HZ } from '../../protocol';
import type { ExpectationResult, Scenario, ScenarioLogEntry, TraineeRecord } from '../../protocol/scenario';
import type { AckOutcome } from '../alarms/alarmBook';
import { setUpAlarms } from '../alarms/setup';
import { PlantSession } from '../session/plantSession';
import { type CommandResult, lineIds, linesRunningInto, type SimCommand, type World } from '../sim';
import { evaluateExpectations } from './expectations';
import { recordedAlarm, stepEntry, tickLog } from './tickLog';

/**
 * Runs a scenario headless, as a training session would but with a virtual clock: the loop ticks
 * at TICK_HZ and each tick advances a PlantSession by speed × tick in fixed SIM_DT_S steps, which
 * applies the timeline steps due, evaluates the alarms after every step and the KPIs every second
 * of sim time; then a scripted trainee acts once per tick. Wall time follows sim time
 * (startMs + simS × 1000, as in a training session), so the same scenario, seed and speed give the
 * same log byte for byte. Speed changes only how many steps pass between two trainee turns: without
 * a trainee the log is the same at every speed. The run itself is as fast as the CPU.
 */

/** What a scripted trainee sees and may do on each tick. */
export interface TraineeContext {
  readonly simTimeS: number;
  /** The plant (read it; change it only through `command`). */
  readonly world: World;
  /** Alarm transitions of this tick (of all its steps), in sequence order. */
  readonly transitions: readonly AlarmTransition[];
  /** Alarms that are not normal now. */
  alarms(): Alarm[];
  /** Acknowledges alarms as the trainee. */
  ack(ids: readonly string[]): AckOutcome;
  /** Sends an operator command as the trainee. */
  command(cmd: SimCommand): CommandResult;
}

/** Called once per tick after the alarms were evaluated. */
export type ScriptedTrainee = (ctx: TraineeContext) => void;

/** How to run: every field optional. */
export interface RunOptions {
  /** Time scale, 0.1..50 (default: the scenario's). */
  speed?: number;
  /** Seed (default: the scenario's): a trainer's restart with another seed. */
  seed?: number;
  /** Stop here instead of at durationS, s. */
  untilS?: number;
  trainee?: ScriptedTrainee;
  /** Who the trainee's acknowledgements and commands are recorded as (default 'trainee'). */
  user?: string;
  /** Alarm rules file (default: the shipped rules). */
  rulesPath?: string;
  /** Virtual wall time at sim time 0, ms since epoch (alarm timestamps follow sim time). Default 0. */
  startMs?: number;
}

/** The outcome of a run. */
export interface ScenarioRun {
  scenarioId: string;
  seed: number;
  speed: number;
  /** Sim time the run ended, s. */
  endS: number;
  /** Plant events, alarm transitions, applied steps and trainee commands, in order. */
  log: ScenarioLogEntry[];
  record: TraineeRecord;
  results: ExpectationResult[];
}

/** Real seconds per loop tick. */
const TICK_S = 1 / TICK_HZ;

/** Runs `scenario` on `layout` to its end (or `untilS`). Throws only if the alarm rules cannot be set up. */
export function runScenario(scenario: Scenario, layout: Layout, opts: RunOptions = {}): ScenarioRun {
  const speed = opts.speed ?? scenario.speed;
  const seed = opts.seed ?? scenario.seed;
  const untilS = Math.min(opts.untilS ?? scenario.durationS, scenario.durationS);
  const user = opts.user ?? 'trainee';
  const startMs = opts.startMs ?? 0;
  const setup = setUpAlarms(layout, { rulesPath: opts.rulesPath, dataDir: ':memory:' });
  if (!setup.ok) throw new Error(`${setup.title}\n${setup.errors.join('\n')}`);
  const book = setup.book;
  const log: ScenarioLogEntry[] = [];
  const record: TraineeRecord = { endS: 0, alarms: [], commands: [], lines: [] };
  let ids: string[] = [];
  let running = new Uint8Array(0);
  let was = new Uint8Array(0);
  const sampleLines = (world: World) => {
    linesRunningInto(world, running);
    for (let i = 0; i < ids.length; i++) {
      if (running[i] === was[i]) continue;
      was[i] = running[i];
      record.lines.push({ simS: world.simTimeS, line: ids[i], running: running[i] === 1 });
    }
  };
  const session = new PlantSession(layout, {
    seed,
    speed,
    alarms: book,
    scenario,
    simClockOriginMs: startMs,
    onSimStep: sampleLines,
  });
  session.stopAtS = untilS;
  const world = session.world;
  ids = lineIds(world);
  running = new Uint8Array(ids.length);
  was = new Uint8Array(ids.length).fill(2); // 2: no sample yet
  /** Transitions made between steps (the trainee's acknowledgements), at the current sim time. */
  const recordAlarms = (list: readonly AlarmTransition[]) => {
    for (const t of list) {
      log.push({ simS: world.simTimeS, kind: 'alarm', transition: t });
      record.alarms.push(recordedAlarm(t, world.simTimeS));
    }
  };
  let transitions: AlarmTransition[] = [];
  const ctx: TraineeContext = {
    get simTimeS() {
      return world.simTimeS;
    },
    world,
    get transitions() {
      return transitions;
    },
    alarms: () => book.current(),
    ack: (list) => {
      const out = book.ack(list, user, session.nowMs);
      recordAlarms(out.transitions);
      return out;
    },
    command: (cmd) => {
      const r = session.command(cmd);
      const simS = world.simTimeS;
      const c = {
        simS,
        equipmentId: String(cmd.equipmentId),
        action: String(cmd.action),
        ok: r.ok,
        message: r.message,
        text: r.text,
      };
      record.commands.push({ ...c, user });
      log.push({ ...c, kind: 'command', user });
      return r;
    },
  };

  try {
    for (const a of session.initialSteps) log.push(stepEntry(a));
    sampleLines(world);
    while (world.simTimeS < untilS - 1e-6) {
      const out = session.advance(TICK_S);
      for (const e of tickLog(out)) log.push(e);
      for (let i = 0; i < out.alarms.length; i++)
        record.alarms.push(recordedAlarm(out.alarms[i], out.alarmSimS[i]));
      transitions = out.alarms;
      opts.trainee?.(ctx);
    }
  } finally {
    setup.store.close();
  }
  record.endS = world.simTimeS;
  return {
    scenarioId: scenario.id,
    seed,
    speed,
    endS: world.simTimeS,
    log,
    record,
    results: evaluateExpectations(scenario, record),
  };
}
