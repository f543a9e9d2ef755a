import type { Alarm, AlarmTransition, Layout } from '../../protocol';
import { TICK_HZ } from '../../protocol';
import type { ExpectationResult, Scenario, ScenarioLogEntry, TraineeRecord } from '../../protocol/scenario';
import type { AckOutcome } from '../alarms/alarmBook';
import { setUpAlarms } from '../alarms/setup';
import {
  applyCommand,
  type CommandResult,
  createWorld,
  lineIds,
  linesRunningInto,
  SIM_DT_S,
  type SimCommand,
  stepWorld,
  type World,
} from '../sim';
import { applyDueSteps } from './applySteps';
import { evaluateExpectations } from './expectations';

/**
 * Runs a scenario headless, as a training session would but with a virtual clock: the loop ticks
 * at TICK_HZ and each tick steps the world by speed × tick in fixed SIM_DT_S steps (as
 * PlantSession.advance does), applies the timeline steps due after every simulation step, then
 * evaluates the alarms once and lets a scripted trainee act. Wall time is virtual (startMs + tick
 * time), so the same scenario, seed and speed give the same log byte for byte. Speed changes only
 * how many steps share one alarm evaluation and trainee turn; the run itself is as fast as the CPU.
 */

/** What a scripted trainee sees and may do on each tick. */
export interface TraineeContext {
  readonly simTimeS: number;
  /** The plant (read it; change it only through `command`). */
  readonly world: World;
  /** Alarm transitions of this tick, in sequence order. */
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
  /** Virtual wall time at start, ms since epoch (alarm timestamps). Default 0. */
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
  const world = createWorld(layout, seed, { faults: scenario.randomFaults });
  const log: ScenarioLogEntry[] = [];
  const record: TraineeRecord = { endS: 0, alarms: [], commands: [], lines: [] };
  const ids = lineIds(world);
  const running = new Uint8Array(ids.length);
  const was = new Uint8Array(ids.length).fill(2); // 2: no sample yet
  let seq = 0;
  let nowMs = startMs;

  const applyDue = (fromS: number) => {
    for (const a of applyDueSteps(world, scenario, fromS, world.simTimeS)) {
      const { step } = a;
      log.push({
        simS: a.simS,
        kind: 'step',
        step: step.index,
        atS: step.atS,
        action: step.action.type,
        ok: a.ok,
        message: a.message,
        text: a.text,
      });
    }
  };
  const sampleLines = () => {
    linesRunningInto(world, running);
    for (let i = 0; i < ids.length; i++) {
      if (running[i] === was[i]) continue;
      was[i] = running[i];
      record.lines.push({ simS: world.simTimeS, line: ids[i], running: running[i] === 1 });
    }
  };
  const recordAlarms = (list: readonly AlarmTransition[]) => {
    for (const t of list) {
      const simS = world.simTimeS;
      log.push({ simS, kind: 'alarm', transition: t });
      const r: TraineeRecord['alarms'][number] = {
        simS,
        alarmId: t.alarmId,
        ruleId: t.alarm.ruleId,
        equipmentId: t.equipmentId,
        from: t.from,
        to: t.to,
      };
      if (t.user !== undefined) r.user = t.user;
      if (t.reason !== undefined) r.reason = t.reason;
      record.alarms.push(r);
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
      const out = book.ack(list, user, nowMs);
      recordAlarms(out.transitions);
      return out;
    },
    command: (cmd) => {
      const r = applyCommand(world, cmd);
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
    applyDue(-1);
    sampleLines();
    let acc = 0;
    for (let tick = 1; world.simTimeS < untilS - 1e-6; tick++) {
      nowMs = startMs + tick * TICK_S * 1000;
      acc += TICK_S * speed;
      let steps = 0;
      while (acc >= SIM_DT_S - 1e-9 && world.simTimeS < untilS - 1e-6) {
        acc -= SIM_DT_S;
        const fromS = world.simTimeS;
        for (const e of stepWorld(world, SIM_DT_S))
          log.push({ simS: e.simTimeS, kind: 'event', event: { seq: ++seq, ...e } });
        steps++;
        applyDue(fromS);
        sampleLines();
      }
      transitions = book.tick(world.equipment, world.simTimeS, nowMs, steps > 0);
      recordAlarms(transitions);
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
