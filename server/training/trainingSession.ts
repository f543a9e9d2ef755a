import {
  type AlarmTransition,
  can,
  type Layout,
  type Role,
  type ScenarioAction,
  type TrainingActivity,
  type TrainingControl,
  type TrainingLogEntry,
  type TrainingState,
  type TrainingStepApplied,
} from '../../protocol';
import type { RecordedAlarm, RecordedCommand, RecordedLineState, Scenario } from '../../protocol/scenario';
import { isCodedText } from '../../protocol/text';
import { type EnText, enText } from '../../protocol/textEn';
import { setUpAlarms } from '../alarms/setup';
import type { Recordings, RunRecording } from '../recordings';
import type { AppliedStep } from '../scenarios/applySteps';
import { recordedAlarm, stepEntry, tickLog } from '../scenarios/tickLog';
import { PlantSession, type TickOutput } from '../session/plantSession';
import {
  applyScenarioAction,
  type CommandResult,
  lineIds,
  linesRunningInto,
  type SimCommand,
  type World,
} from '../sim';
import type { AlarmStore } from '../store/alarmStore';
import type { Reply, ReplyOf, RequestContext } from '../transport/guard';
import { broadcastTick } from '../transport/plantHandlers';
import type { TrainingHost } from '../transport/trainingHandlers';
import type { TwinServer, TwinSocket } from '../transport/types';
import { type TraineeReport, traineeReports } from './report';

/** Most entries one session's log keeps; later ones are counted, not kept (a runaway session). */
export const MAX_LOG_ENTRIES = 200_000;
/** Two sim times this close are the same moment, s. */
const EPS_S = 1e-6;
/** A running session tells its room its state (sim time for the trainer console) this often, real s. */
const STATE_EVERY_S = 1;

/** How a training session is built (by the manager). */
export interface TrainingSessionInit {
  id: string;
  code: string;
  scenario: Scenario;
  layout: Layout;
  seed: number;
  speed: number;
  createdBy: string;
  /** ms since epoch. */
  createdAt: number;
  /** Alarm rules file (default: the shipped rules). */
  rulesPath?: string;
  /** Wall clock, ms since epoch (activity times, the sim clock's origin on a restart). */
  now: () => number;
  /** The Socket.IO server, once there is one. */
  io: () => TwinServer | null;
  /** Where each run is recorded (a restart starts a new recording); null: not recorded. */
  recordings?: Recordings | null;
}

/** Who took part: their role, and whether they acted on the plant (alarms, commands). */
interface Participant {
  role: Role;
  acted: boolean;
}

/**
 * One training session: its own PlantSession (world from the scenario's plant and seed, alarms
 * over an in-memory store, event log) in the Socket.IO room `training:<id>`, paused until a
 * trainer starts it. The scenario's timeline is applied as it advances; participants' requests
 * act on this plant only and are recorded (user, wall time, sim time) for the scoring; trainers
 * (sub-room `training:<id>:trainers`) see them live. A restart builds a fresh world from the
 * same scenario and seed, with a fresh log and records.
 */
export class TrainingSession implements TrainingHost {
  readonly id: string;
  readonly code: string;
  readonly room: string;
  readonly trainersRoom: string;
  readonly training = true;
  readonly scenario: Scenario;
  readonly layout: Layout;
  readonly seed: number;
  readonly createdBy: string;
  readonly createdAt: number;
  private current!: PlantSession;
  private store: AlarmStore | null = null;
  private runNo = 0;
  private finished = false;
  private ended = false;
  private entries: TrainingLogEntry[] = [];
  private dropped = 0;
  private alarms: RecordedAlarm[] = [];
  private commands: RecordedCommand[] = [];
  private lines: RecordedLineState[] = [];
  private lineIdList: string[] = [];
  private lineNow = new Uint8Array(0);
  private lineWas = new Uint8Array(0);
  private readonly participants = new Map<string, Participant>();
  private readonly sockets = new Set<TwinSocket>();
  private recording: RunRecording | null = null;
  /** Real time since the room was last told the state, s (display only: nothing simulated uses it). */
  private sinceStateS = 0;
  /** Closings of this session's run recordings still being committed. */
  private readonly closings = new Set<Promise<void>>();

  constructor(private readonly init: TrainingSessionInit) {
    this.id = init.id;
    this.code = init.code;
    this.room = `training:${init.id}`;
    this.trainersRoom = `training:${init.id}:trainers`;
    this.scenario = init.scenario;
    this.layout = init.layout;
    this.seed = init.seed;
    this.createdBy = init.createdBy;
    this.createdAt = init.createdAt;
    this.build(init.speed);
  }

  /** A fresh paused world at t = 0 with its own alarms; the log and records start over. */
  private build(speed: number): void {
    const setup = setUpAlarms(this.layout, { rulesPath: this.init.rulesPath, dataDir: ':memory:' });
    if (!setup.ok) throw new Error(`${setup.title}\n${setup.errors.join('\n')}`);
    this.store?.close();
    this.store = setup.store;
    this.entries = [];
    this.dropped = 0;
    this.alarms = [];
    this.commands = [];
    this.lines = [];
    this.finished = false;
    this.current = new PlantSession(this.layout, {
      seed: this.seed,
      speed,
      alarms: setup.book,
      scenario: this.scenario,
      paused: true,
      simClockOriginMs: this.init.now(),
      onSimStep: (w) => this.sampleLines(w),
    });
    // The run ends exactly at the scenario's duration, whatever the speed (see `tick`).
    this.current.stopAtS = this.scenario.durationS;
    this.lineIdList = lineIds(this.current.world);
    this.lineNow = new Uint8Array(this.lineIdList.length);
    this.lineWas = new Uint8Array(this.lineIdList.length).fill(2); // 2: no sample yet
    this.sampleLines(this.current.world);
    this.logSteps(this.current.initialSteps);
    this.stopRecording();
    this.recording =
      this.init.recordings?.record(this.current, {
        kind: 'training',
        sessionId: this.id,
        scenarioId: this.scenario.id,
        seed: this.seed,
      }) ?? null;
  }

  /** The recording of the current run, if it is recorded. */
  get recordingId(): string | null {
    return this.recording?.id ?? null;
  }

  /** Resolves once every recording of this session that was closed is committed. */
  closed(): Promise<void> {
    return Promise.all([...this.closings]).then(() => undefined);
  }

  /** Ends the current run's recording (committed in the background; see `closed`). */
  private stopRecording(): void {
    const rec = this.recording;
    if (!rec) return;
    this.recording = null;
    const p = rec.close().finally(() => this.closings.delete(p));
    this.closings.add(p);
  }

  /** The plant now (replaced by a restart). */
  plant(): PlantSession {
    return this.current;
  }

  /** The session's wall time: it follows sim time (see SessionOptions.simClockOriginMs). */
  now(): number {
    return this.current.nowMs;
  }

  get running(): boolean {
    return !this.current.paused;
  }

  /** What the room and the trainers see. */
  state(): TrainingState {
    const zh = this.scenario.translations?.['zh-CN']?.name;
    return {
      ...(zh === undefined ? {} : { scenarioNames: { 'zh-CN': zh } }),
      id: this.id,
      code: this.code,
      scenarioId: this.scenario.id,
      scenarioName: this.scenario.name,
      seed: this.seed,
      running: this.running,
      speed: this.current.speed,
      simTimeS: this.current.world.simTimeS,
      durationS: this.scenario.durationS,
      finished: this.finished,
      run: this.runNo,
      createdBy: this.createdBy,
      createdAt: this.createdAt,
      participants: this.sockets.size,
    };
  }

  /** The session's event log, oldest first, and how many entries were dropped past MAX_LOG_ENTRIES. */
  events(): { events: readonly TrainingLogEntry[]; dropped: number } {
    return { events: this.entries, dropped: this.dropped };
  }

  /** Every trainee's expectations, scored on what they did so far. */
  report(): TraineeReport[] {
    const trainees = [...this.participants]
      .filter(([, p]) => p.acted || !can(p.role, 'training:run'))
      .map(([user, p]) => ({ user, role: p.role }));
    return traineeReports(this.scenario, trainees, {
      endS: this.current.world.simTimeS,
      alarms: this.alarms,
      commands: this.commands,
      lines: this.lines,
    });
  }

  /** One loop tick: advances a running session, broadcasts to its room, pauses it at the scenario's end. */
  tick(elapsedS: number): void {
    if (this.ended || this.current.paused) return;
    const out = this.current.advance(elapsedS);
    this.publish(out);
    this.sinceStateS += elapsedS;
    if (!this.finished && this.current.world.simTimeS >= this.scenario.durationS - EPS_S) {
      this.finished = true;
      this.current.paused = true;
      // A trainer who resumes a finished run lets it go on past the scenario's end.
      this.current.stopAtS = Number.POSITIVE_INFINITY;
      this.emitState();
    } else if (this.sinceStateS >= STATE_EVERY_S) this.emitState(); // sim time for the trainer console
  }

  control(req: TrainingControl, ctx: RequestContext): ReplyOf<'training:control'> {
    let reply: ReplyOf<'training:control'>;
    // Each answer says what the clock now does, in words the trainer's console renders in its language.
    switch (req.action) {
      case 'start':
      case 'resume':
        if (req.speed !== undefined) this.current.speed = req.speed;
        this.current.paused = false;
        reply = this.ok(
          enText(req.action === 'start' ? 'training.control.started' : 'training.control.resumed', {
            speed: this.current.speed,
          }),
        );
        break;
      case 'pause':
        this.current.paused = true;
        reply = this.ok(enText('training.control.paused', { simTime: this.simSeconds() }));
        break;
      case 'speed':
        this.current.speed = req.speed ?? this.current.speed;
        reply = this.ok(enText('training.control.speed', { speed: this.current.speed }));
        break;
      case 'step':
        if (!this.current.paused) {
          reply = { ok: false, code: 'CONFLICT', ...enText('training.control.pauseFirst') };
          break;
        }
        this.publish(this.current.step());
        reply = this.ok(enText('training.control.stepped', { simTime: this.simSeconds() }));
        break;
      case 'restart':
        this.runNo++;
        this.build(this.current.speed);
        this.io()?.to(this.room).emit('plant:snapshot', this.current.snapshot());
        reply = this.ok(enText('training.control.restarted', { run: this.runNo + 1 }));
        break;
    }
    this.activity(ctx.user, ctx.role, 'training:control', req.action, reply);
    if (reply.ok) this.emitState();
    return reply;
  }

  inject(action: ScenarioAction, ctx: RequestContext): ReplyOf<'training:inject'> {
    const target =
      action.type === 'fault' ? targetOf(action) : action.type === 'clear' ? action.equipment : null;
    let reply: ReplyOf<'training:inject'>;
    if (target !== null && !this.knows(target)) {
      reply = {
        ok: false,
        code: 'NOT_FOUND',
        ...enText('training.refused.unknownTarget', { equipment: target }),
      };
    } else {
      const r = applyScenarioAction(this.current.world, action);
      reply = r.ok
        ? { ok: true, message: r.message, text: r.text, simTimeS: this.current.world.simTimeS }
        : { ok: false, code: 'CONFLICT', message: r.message, text: r.text };
    }
    this.activity(ctx.user, ctx.role, 'training:inject', target, reply);
    return reply;
  }

  /** A socket joined: counted, its user listed as a participant, trainers told. */
  join(socket: TwinSocket): void {
    const { user, role } = socket.data;
    this.sockets.add(socket);
    const p = this.participants.get(user);
    if (p) p.role = role;
    else this.participants.set(user, { role, acted: false });
    if (can(role, 'training:run')) socket.join(this.trainersRoom);
    socket.emit('training:state', this.state());
    this.activity(user, role, 'join', null, { ok: true });
    this.emitState();
  }

  /** A socket left. */
  leave(socket: TwinSocket): void {
    if (!this.sockets.delete(socket) || this.ended) return;
    this.activity(socket.data.user, socket.data.role, 'leave', null, { ok: true });
    this.emitState();
  }

  noteAlarms(ts: readonly AlarmTransition[]): void {
    this.recording?.onAlarms(ts);
    this.recordAlarms(ts);
  }

  noteCommand(ctx: RequestContext, cmd: SimCommand, r: CommandResult): void {
    const c = {
      simS: this.current.world.simTimeS,
      equipmentId: String(cmd.equipmentId),
      action: String(cmd.action),
      ok: r.ok,
      message: r.message,
      text: r.text,
      user: ctx.user,
    };
    this.commands.push(c);
    this.push({ ...c, kind: 'command' });
  }

  noteRequest(ctx: RequestContext, event: string, target: string | null, reply: Reply): void {
    const p = this.participants.get(ctx.user);
    if (p) p.acted = true;
    else this.participants.set(ctx.user, { role: ctx.role, acted: true });
    this.activity(ctx.user, ctx.role, event, target, reply);
  }

  /** Ends the session: tells its sockets (`training:ended`), closes them and frees its alarms. */
  end(why: EnText): void {
    if (this.ended) return;
    this.current.paused = true;
    const io = this.io();
    if (io) {
      io.to(this.room).emit('training:ended', { id: this.id, ...why });
      io.in(this.room).disconnectSockets(true);
    }
    this.ended = true;
    this.sockets.clear();
    this.stopRecording();
    this.store?.close();
    this.store = null;
  }

  private io(): TwinServer | null {
    return this.ended ? null : this.init.io();
  }

  private ok(answer: EnText): ReplyOf<'training:control'> {
    return { ok: true, state: this.state(), ...answer };
  }

  /** The session's sim time in whole seconds (as the `…Time` params of text codes carry it). */
  private simSeconds(): number {
    return Math.round(this.current.world.simTimeS);
  }

  private knows(id: string): boolean {
    return this.layout.equipment.some((e) => e.id === id) || this.layout.lines.some((l) => l.id === id);
  }

  private emitState(): void {
    this.sinceStateS = 0;
    this.io()?.to(this.room).emit('training:state', this.state());
  }

  /** Logs what a tick or step produced, records it for the scoring and sends it to the room. */
  private publish(out: TickOutput): void {
    // Recorded first: the recorder copies the frame and keeps the items, changing nothing sent.
    this.recording?.onTick(out, this.current);
    // Per simulation step: its plant events, the timeline steps it made due, its alarm transitions.
    for (const e of tickLog(out)) {
      this.push(e);
      if (e.kind === 'alarm') this.alarms.push(recordedAlarm(e.transition, e.simS));
    }
    const steps = out.scenarioSteps ?? [];
    const io = this.io();
    if (!io) return;
    broadcastTick(io, out, this.room);
    for (const s of steps) io.to(this.room).emit('training:step', stepApplied(s));
  }

  private logSteps(steps: readonly AppliedStep[]): void {
    for (const s of steps) this.logStep(s);
  }

  private logStep(a: AppliedStep): void {
    this.push(stepEntry(a));
  }

  /** Transitions made between steps (participants' acknowledgements and shelves), at the current sim time. */
  private recordAlarms(ts: readonly AlarmTransition[]): void {
    const simS = this.current.world.simTimeS;
    for (const t of ts) {
      this.push({ simS, kind: 'alarm', transition: t });
      this.alarms.push(recordedAlarm(t, simS));
    }
  }

  private sampleLines(world: World): void {
    linesRunningInto(world, this.lineNow);
    for (let i = 0; i < this.lineIdList.length; i++) {
      if (this.lineNow[i] === this.lineWas[i]) continue;
      this.lineWas[i] = this.lineNow[i];
      this.lines.push({ simS: world.simTimeS, line: this.lineIdList[i], running: this.lineNow[i] === 1 });
    }
  }

  /** Logs a participant's request and shows it to the trainers. */
  private activity(user: string, role: Role, event: string, target: string | null, reply: Reply): void {
    const a: TrainingActivity = {
      at: this.init.now(),
      simS: this.current.world.simTimeS,
      user,
      role,
      event,
      target,
      ok: reply.ok,
    };
    if (!reply.ok) {
      a.code = reply.code;
      a.message = reply.message;
    } else if (typeof reply.message === 'string') a.message = reply.message;
    if (isCodedText(reply.text)) a.text = reply.text;
    this.push({ simS: a.simS, kind: 'activity', activity: a });
    this.io()?.to(this.trainersRoom).emit('training:activity', a);
  }

  private push(e: TrainingLogEntry): void {
    if (this.entries.length < MAX_LOG_ENTRIES) this.entries.push(e);
    else this.dropped++;
  }
}

/** The equipment (or line, for a power dip) a fault action targets. */
function targetOf(action: Extract<ScenarioAction, { type: 'fault' }>): string {
  const f = action.fault;
  return 'line' in f ? f.line : f.equipment;
}

function stepApplied(a: AppliedStep): TrainingStepApplied {
  return {
    simS: a.simS,
    step: a.step.index,
    atS: a.step.atS,
    action: a.step.action.type,
    ok: a.ok,
    message: a.message,
    text: a.text,
  };
}
